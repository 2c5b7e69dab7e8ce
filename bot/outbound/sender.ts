/**
 * The outbound sender: the only way a WhatsApp message leaves Findo. Every message is first
 * recorded under an idempotency key (a retried job finds it and never sends twice), then the policy
 * of spec §6 is applied, in order, at the moment of sending:
 *
 * 1. the tenant is not paused (pausing stops customer messages; consent confirmations and the
 *    owner's own chat go on);
 * 2. the customer has not opted out (consent confirmations excepted);
 * 3. the number can receive WhatsApp: an Israeli landline never seen on WhatsApp cannot (someone
 *    who wrote to us is on WhatsApp, whatever their number looks like);
 * 4. business-initiated messages are templates; free-form text only inside the 24-hour window
 *    (owner alerts outside it become the `findo_owner_alert` template);
 * 5. business-initiated messages, and owner messages unless `ownerAlertsAnytime`, are deferred out
 *    of quiet hours and Shabbat/Yom Tov: rescheduled, never dropped;
 * 6. WhatsApp's errors are classified: permanent ones are recorded and not retried; rate limits and
 *    failures that reached nothing throw so the calling job retries with backoff; failures after
 *    which WhatsApp may have the message all the same (a timeout, an unexplained 5xx) leave it
 *    `unconfirmed` until its status webhook (which echoes the idempotency key sent as
 *    `biz_opaque_callback_data`) confirms it, or, when none comes in time, it is sent again.
 *
 * Everything that can fail is done before a message is claimed (`sending`): between the claim and
 * the Graph call there is nothing else, and once Graph accepted it nothing sends it again.
 */
import { randomUUID } from 'node:crypto';
import { recordActivity } from '../activity.ts';
import { CustomerModel, isDuplicateKey, MessageModel, TenantModel, type Customer, type Message, type Tenant } from '../db/models/index.ts';
import { parseQuietHours } from '../durations.ts';
import { messagesOut } from '../metrics.ts';
import { isWhatsAppReachable } from '../../lib/phone.ts';
import type { Services } from '../services.ts';
import { templateBodyParams, templateSendParams, TEMPLATES, type TemplateName, type TemplateSend } from '../templates.ts';
import { textOf, type Language } from '../texts/index.ts';
import { isIntegrationError, IntegrationError } from '../../integrations/errors.ts';
import type { SentMessage, WhatsAppPort } from '../../integrations/whatsapp/client.ts';
import { nextSendableTime } from './schedule.ts';

export const WINDOW_MS = 24 * 3_600_000;
/** Beyond the request timeout: a `sending` message older than timeout + this has no request in flight. */
export const IN_FLIGHT_MARGIN_MS = 5_000;

export type Audience = 'customer' | 'owner';

export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'buttons'; text: string; buttons: { id: string; title: string }[] }
  | ({ kind: 'template' } & TemplateSend);

export interface OutboundIntent {
  tenantId: string;
  /** E.164. */
  phone: string;
  audience: Audience;
  /** Unique per intended message; the same key never sends twice. */
  idempotencyKey: string;
  content: OutboundContent;
  conversationId?: string;
  replyToMessageId?: string;
  /** Opt-out/opt-in confirmations go out even to opted-out customers and paused tenants. */
  consentConfirmation?: boolean;
}

export type SendStatus = 'sent' | 'deferred' | 'skipped' | 'failed' | 'in_flight';

export interface SendOutcome {
  status: SendStatus;
  messageRef: string;
  reason?: string;
  waMessageId?: string;
  sendAfter?: Date;
}

/**
 * Whether WhatsApp can reach the number. The landline rule is about numbers never seen on WhatsApp
 * (a missed *call* from a landline): anyone who has written to us is on WhatsApp.
 */
export const isReachableOnWhatsApp = (phone: string, customer: Pick<Customer, 'lastInboundAt'> | null | undefined) =>
  !!customer?.lastInboundAt || isWhatsAppReachable(phone);

/** The customer (or owner) wrote within the last 24 hours. */
export const isWindowOpen = (lastInboundAt: Date | null | undefined, now = new Date()) =>
  !!lastInboundAt && now.getTime() - lastInboundAt.getTime() < WINDOW_MS;

function renderForRecord(language: Language, content: OutboundContent): string {
  if (content.kind !== 'template') return content.text;
  return textOf(language, TEMPLATES[content.name].bodyKey, content.vars);
}

/** Records the intended message (idempotently) and delivers it now or when policy allows. */
export async function sendMessage(services: Services, intent: OutboundIntent): Promise<SendOutcome> {
  const tenant = await TenantModel.findById(intent.tenantId);
  if (!tenant) throw new Error(`tenant ${intent.tenantId} not found`);
  const language = tenant.language;
  let message: Message;
  try {
    message = await MessageModel.create({
      tenantId: intent.tenantId,
      direction: 'out',
      phone: intent.phone,
      audience: intent.audience,
      key: intent.idempotencyKey,
      conversationId: intent.conversationId,
      kind: intent.content.kind,
      text: renderForRecord(language, intent.content),
      template:
        intent.content.kind === 'template'
          ? { name: intent.content.name, language, params: templateSendParams(intent.content) }
          : undefined,
      buttons: intent.content.kind === 'buttons' ? intent.content.buttons : undefined,
      contextMessageId: intent.replyToMessageId,
      reason: intent.consentConfirmation ? 'consent_confirmation' : undefined,
      status: 'pending',
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await MessageModel.findOne({ tenantId: intent.tenantId, key: intent.idempotencyKey });
    if (!existing) throw error;
    message = existing;
  }
  return deliverMessage(services, tenant, message);
}

/** Applies the policy to a recorded message and sends it, defers it or records why not. */
export async function deliverMessage(services: Services, tenant: Tenant, message: Message): Promise<SendOutcome> {
  const settled = await outcomeSoFar(services, tenant, message);
  if (settled) return settled;

  const now = new Date();
  const customer = await CustomerModel.findOne({ tenantId: tenant.id, phone: message.phone });
  const blocked = blockingReason(tenant, message, customer);
  if (blocked) return skip(message, blocked);
  if (message.kind !== 'template' && !isWindowOpen(customer?.lastInboundAt, now)) {
    if (message.audience !== 'owner') return skip(message, 'window_closed');
    await becomeOwnerAlertTemplate(tenant, message);
  }
  const sendAfter = quietTimeEnd(tenant, message, now);
  if (sendAfter) return defer(services, tenant, message, sendAfter);

  // Resolved before the claim: a failure here (the token is read from the database) leaves the
  // message untouched for the job's retry.
  const whatsapp = await services.whatsappFor(tenant);
  const { message: claimed, ours } = await claimForSending(tenant, message, now);
  if (!ours) return deliverMessage(services, tenant, claimed);

  let sent: SentMessage;
  try {
    // From here on WhatsApp may have it: the claim is no longer known to be unsent.
    unsentClaims.delete(claimed.claim!);
    sent = await transmit(whatsapp, tenant.whatsappNumberId!, claimed);
  } catch (error) {
    return handleSendError(services, tenant, claimed, error);
  }
  return recordSent(services, tenant, claimed, sent);
}

/**
 * The outcome of a message that needs no new attempt (sent, skipped, failed, deferred to a time to
 * come), or of one whose attempt may be in flight; null when it is to be attempted now.
 */
async function outcomeSoFar(services: Services, tenant: Tenant, message: Message): Promise<SendOutcome | null> {
  const ref = message.id as string;
  switch (message.status) {
    case 'sent':
    case 'delivered':
    case 'read':
      return { status: 'sent', messageRef: ref, waMessageId: message.waMessageId ?? undefined };
    case 'skipped':
    case 'failed':
      return { status: message.status, messageRef: ref, reason: message.reason ?? undefined };
    case 'sending':
      if (message.claim && unsentClaims.has(message.claim))
        return deliverMessage(services, tenant, await releaseUnsentClaim(tenant, message));
      return awaitConfirmation(services, tenant, message);
    case 'unconfirmed':
      return awaitConfirmation(services, tenant, message);
    case 'deferred':
      return message.sendAfter && message.sendAfter.getTime() > Date.now()
        ? { status: 'deferred', messageRef: ref, sendAfter: message.sendAfter }
        : null;
    default:
      return null;
  }
}

/** Why the policy (steps 1–3, and a tenant without a number) does not let the message out, or null. */
function blockingReason(tenant: Tenant, message: Message, customer: Customer | null): string | null {
  const consent = message.reason === 'consent_confirmation';
  if (tenant.disabled) return 'tenant_disabled';
  if (tenant.settings.paused && message.audience === 'customer' && !consent) return 'paused';
  if (message.audience === 'customer' && customer?.optedOut && !consent) return 'opted_out';
  if (!isReachableOnWhatsApp(message.phone, customer)) return 'landline';
  if (!tenant.whatsappNumberId) return 'no_whatsapp_number';
  return null;
}

/** An owner alert outside the owner's window goes out all the same, as the approved owner-alert template. */
async function becomeOwnerAlertTemplate(tenant: Tenant, message: Message): Promise<void> {
  const template = {
    name: 'findo_owner_alert',
    language: tenant.language,
    params: templateBodyParams('findo_owner_alert', { text: message.text ?? '' }),
  };
  await MessageModel.updateOne({ tenantId: tenant.id, _id: message._id }, { $set: { kind: 'template', template } });
  message.kind = 'template';
  message.set('template', template);
}

/** When quiet hours or Shabbat/Yom Tov end, if the message must wait for that (step 5); else null. */
function quietTimeEnd(tenant: Tenant, message: Message, now: Date): Date | null {
  const settings = tenant.settings;
  const respectsQuietTime = message.audience === 'owner' ? !settings.ownerAlertsAnytime : message.kind === 'template';
  if (!respectsQuietTime || message.reason === 'consent_confirmation') return null;
  const sendAfter = nextSendableTime(now, {
    timezone: tenant.timezone,
    quietHours: parseQuietHours(settings.quietHours),
    observeShabbat: settings.observeShabbat,
  });
  return sendAfter.getTime() > now.getTime() ? sendAfter : null;
}

/** The message as stored now. */
const reload = (message: Message) => MessageModel.findOne({ tenantId: message.tenantId, _id: message._id });

/**
 * Claims of this process under which nothing reached WhatsApp, though the message still says
 * `sending`: the claim's answer, or the reset to `pending` after a refused request, was lost to a
 * database outage. Only this process knows; it sends such a message again at once instead of
 * waiting for a status that cannot come.
 */
const unsentClaims = new Set<string>();

/**
 * Moves a `pending` or `deferred` message to `sending` under a new claim. Returns it when this
 * attempt holds it, else the message as it now is. A claim whose answer was lost stays known as
 * unsent, so the job's retry takes the message back at once.
 */
async function claimForSending(tenant: Tenant, message: Message, now: Date): Promise<{ message: Message; ours: boolean }> {
  const claim = randomUUID();
  unsentClaims.add(claim);
  const claimed = await MessageModel.findOneAndUpdate(
    { tenantId: tenant.id, _id: message._id, status: { $in: ['pending', 'deferred'] } },
    { $set: { status: 'sending', statusAt: now, claim }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  );
  // No answer can also mean the driver retried a claim that had been applied: the claim tells.
  const current = claimed ?? (await reload(message))!;
  const ours = current.status === 'sending' && current.claim === claim;
  if (!ours) unsentClaims.delete(claim);
  return { message: current, ours };
}

/** Gives back one of this process's {@link unsentClaims}: the message is `pending` again. */
async function releaseUnsentClaim(tenant: Tenant, message: Message): Promise<Message> {
  const released = await MessageModel.findOneAndUpdate(
    { tenantId: tenant.id, _id: message._id, status: 'sending', claim: message.claim },
    { $set: { status: 'pending', statusAt: new Date() } },
    { returnDocument: 'after' },
  );
  unsentClaims.delete(message.claim!);
  return released ?? (await reload(message))!;
}

/** The Graph call itself, tagged with the message's idempotency key. */
function transmit(whatsapp: WhatsAppPort, phoneNumberId: string, message: Message): Promise<SentMessage> {
  const options = { replyToMessageId: message.contextMessageId ?? undefined, callbackData: message.key };
  if (message.kind === 'template') {
    return whatsapp.sendTemplate(
      phoneNumberId,
      message.phone,
      {
        name: message.template!.name!,
        language: message.template!.language as Language,
        bodyParams: [...message.template!.params],
        quickReplyPayloads: TEMPLATES[message.template!.name as TemplateName]?.buttons.map((b) => b.payload),
      },
      options,
    );
  }
  if (message.kind === 'buttons') {
    return whatsapp.sendButtons(
      phoneNumberId,
      message.phone,
      message.text ?? '',
      message.buttons.map((b) => ({ id: b.id!, title: b.title! })),
      options,
    );
  }
  return whatsapp.sendText(phoneNumberId, message.phone, message.text ?? '', options);
}

/**
 * WhatsApp accepted the message: from here on nothing may send it again. The record is retried
 * through a short database hiccup; the activity line is not worth a failure.
 */
async function recordSent(services: Services, tenant: Tenant, message: Message, sent: SentMessage): Promise<SendOutcome> {
  const ref = message.id as string;
  await retried(() =>
    MessageModel.updateOne(
      // A status webhook may have got here first and moved it further.
      { tenantId: tenant.id, _id: message._id, status: { $in: ['sending', 'unconfirmed'] } },
      { $set: { status: 'sent', statusAt: new Date(), waMessageId: sent.messageId }, $unset: { error: '' } },
    ),
  );
  messagesOut.inc({ audience: message.audience, outcome: 'sent' });
  await recordActivity(tenant.id, 'message.sent', `${describe(message)} sent to ${message.phone}`, ref).catch((error: Error) =>
    services.logger.warn({ err: error.message, messageRef: ref }, 'activity line of a sent message not recorded'),
  );
  return { status: 'sent', messageRef: ref, waMessageId: sent.messageId };
}

const RECORD_ATTEMPTS = 3;

async function retried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));
    }
  }
}

function describe(message: Message): string {
  return message.kind === 'template' ? `template ${message.template?.name}` : `${message.audience} message`;
}

async function handleSendError(services: Services, tenant: Tenant, message: Message, error: unknown): Promise<SendOutcome> {
  const ref = message.id as string;
  const failure = isIntegrationError(error) ? error : new IntegrationError((error as Error).message, 'transient', { provider: 'whatsapp' });
  const recorded = { kind: failure.kind, code: failure.details.code, message: failure.message };
  if (failure.kind === 'permanent') {
    await MessageModel.updateOne(
      { tenantId: tenant.id, _id: message._id },
      { $set: { status: 'failed', statusAt: new Date(), error: recorded, reason: `whatsapp_${failure.details.code ?? 'error'}` } },
    );
    messagesOut.inc({ audience: message.audience, outcome: 'failed' });
    await recordActivity(tenant.id, 'message.failed', `${describe(message)} to ${message.phone} failed: ${failure.message}`, ref);
    return { status: 'failed', messageRef: ref, reason: `whatsapp_${failure.details.code ?? 'error'}` };
  }
  if (failure.details.outcomeUnknown) {
    // WhatsApp may have it: its status webhook decides, and the check below resends only without one.
    const at = new Date();
    const confirmBy = new Date(at.getTime() + services.config.whatsapp.confirmWaitMs);
    await MessageModel.updateOne(
      { tenantId: tenant.id, _id: message._id, status: 'sending' },
      { $set: { status: 'unconfirmed', statusAt: at, error: recorded } },
    );
    await queueSend(services, message, confirmBy);
    messagesOut.inc({ audience: message.audience, outcome: 'unconfirmed' });
    await recordActivity(
      tenant.id,
      'message.unconfirmed',
      `${describe(message)} to ${message.phone}: outcome unknown (${failure.message}); waiting for WhatsApp's status until ${confirmBy.toISOString()} before sending again`,
      ref,
    );
    return { status: 'in_flight', messageRef: ref };
  }
  // Nothing reached WhatsApp: back to pending, and let the job's backoff try again.
  unsentClaims.add(message.claim!);
  await MessageModel.updateOne(
    { tenantId: tenant.id, _id: message._id, claim: message.claim },
    { $set: { status: 'pending', error: recorded } },
  );
  unsentClaims.delete(message.claim!);
  throw failure;
}

async function skip(message: Message, reason: string): Promise<SendOutcome> {
  await MessageModel.updateOne(
    { tenantId: message.tenantId, _id: message._id, status: { $in: ['pending', 'deferred'] } },
    { $set: { status: 'skipped', reason, statusAt: new Date() } },
  );
  messagesOut.inc({ audience: message.audience, outcome: 'skipped' });
  await recordActivity(message.tenantId, 'message.skipped', `${describe(message)} to ${message.phone} not sent: ${reason}`, message.id);
  return { status: 'skipped', messageRef: message.id, reason };
}

async function defer(services: Services, tenant: Tenant, message: Message, sendAfter: Date): Promise<SendOutcome> {
  await MessageModel.updateOne(
    { tenantId: tenant.id, _id: message._id, status: { $in: ['pending', 'deferred'] } },
    { $set: { status: 'deferred', sendAfter, statusAt: new Date() } },
  );
  await queueSend(services, message, sendAfter);
  messagesOut.inc({ audience: message.audience, outcome: 'deferred' });
  await recordActivity(
    tenant.id,
    'message.deferred',
    `${describe(message)} to ${message.phone} deferred to ${sendAfter.toISOString()}`,
    message.id,
  );
  return { status: 'deferred', messageRef: message.id, sendAfter };
}

/** Queues another delivery attempt of a recorded message at `at` (the `send-message` job). */
function queueSend(services: Services, message: Message, at: Date): Promise<void> {
  return services.enqueue('send-message', { tenantId: message.tenantId, messageRef: message.id, sendAfter: at.toISOString() }, { at });
}

/**
 * A message in `sending` (an attempt is talking to WhatsApp, or one was cut off: a crash, a database
 * outage) or `unconfirmed`. Until its confirmation deadline a check is scheduled for then; a status
 * webhook echoing its key settles it as sent meanwhile. Past the deadline nothing can have it in
 * flight and no status came: it is sent again, and the decision recorded.
 */
async function awaitConfirmation(services: Services, tenant: Tenant, message: Message): Promise<SendOutcome> {
  const ref = message.id as string;
  const { timeoutMs, confirmWaitMs } = services.config.whatsapp;
  const requestMayBeLive = message.status === 'sending' ? timeoutMs + IN_FLIGHT_MARGIN_MS : 0;
  const deadline = (message.statusAt?.getTime() ?? 0) + requestMayBeLive + confirmWaitMs;
  if (Date.now() < deadline) {
    await queueSend(services, message, new Date(deadline));
    return { status: 'in_flight', messageRef: ref };
  }
  const released = await MessageModel.findOneAndUpdate(
    { tenantId: tenant.id, _id: message._id, status: message.status, statusAt: message.statusAt },
    { $set: { status: 'pending', statusAt: new Date(), outcome: { decision: 'resent', decidedAt: new Date() } } },
    { returnDocument: 'after' },
  );
  if (!released) return deliverMessage(services, tenant, (await reload(message))!);
  await recordActivity(
    tenant.id,
    'message.resent',
    `${describe(message)} to ${message.phone}: no status from WhatsApp by ${new Date(deadline).toISOString()}, sending again`,
    ref,
  );
  return deliverMessage(services, tenant, released);
}
