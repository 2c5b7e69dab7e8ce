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
 * 6. WhatsApp's errors are classified: permanent ones are recorded and not retried, rate limits and
 *    transient failures throw so the calling job retries with backoff.
 */
import { recordActivity } from '../activity.ts';
import { CustomerModel, isDuplicateKey, MessageModel, TenantModel, type Customer, type Message, type Tenant } from '../db/models/index.ts';
import { parseQuietHours } from '../durations.ts';
import { messagesOut } from '../metrics.ts';
import { isWhatsAppReachable } from '../phone.ts';
import type { Services } from '../services.ts';
import { templateBodyParams, TEMPLATES, type TemplateName } from '../templates.ts';
import { t, type Language, type TextKey } from '../texts/index.ts';
import { isIntegrationError, IntegrationError } from '../../integrations/errors.ts';
import { enqueueDeferredSend } from '../../jobs/send-message.ts';
import { nextSendableTime } from './schedule.ts';

export const WINDOW_MS = 24 * 3_600_000;
/** A send that started this long ago and never recorded its result may have reached WhatsApp. */
const IN_FLIGHT_GRACE_MS = 2 * 60_000;

export type Audience = 'customer' | 'owner';

export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'buttons'; text: string; buttons: { id: string; title: string }[] }
  | { kind: 'template'; name: TemplateName; vars: Record<string, string | number> };

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

/** Whether a message kind starts a conversation (so needs a template and respects quiet time). */

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
  const key = TEMPLATES[content.name].bodyKey as TextKey;
  return t(language, key as never, content.vars as never);
}

/** Records the intended message (idempotently) and delivers it now or when policy allows. */
export async function sendMessage(services: Services, intent: OutboundIntent): Promise<SendOutcome> {
  const tenant = await TenantModel.findById(intent.tenantId);
  if (!tenant) throw new Error(`tenant ${intent.tenantId} not found`);
  const language = tenant.language as Language;
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
      template: intent.content.kind === 'template'
        ? { name: intent.content.name, language, params: templateBodyParams(intent.content.name, intent.content.vars as never) }
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
  const ref = message.id as string;
  switch (message.status) {
    case 'sent': case 'delivered': case 'read':
      return { status: 'sent', messageRef: ref, waMessageId: message.waMessageId ?? undefined };
    case 'skipped': case 'failed':
      return { status: message.status, messageRef: ref, reason: message.reason ?? undefined };
    case 'sending':
      return settleInFlight(message);
    case 'deferred':
      if (message.sendAfter && message.sendAfter.getTime() > Date.now()) {
        return { status: 'deferred', messageRef: ref, sendAfter: message.sendAfter };
      }
      break;
    default:
      break;
  }

  const now = new Date();
  const consent = message.reason === 'consent_confirmation';
  const settings = tenant.settings!;
  const customer = await CustomerModel.findOne({ tenantId: tenant.id, phone: message.phone });
  const templated = message.kind === 'template';

  if (tenant.disabled) return skip(message, 'tenant_disabled');
  if (settings.paused && message.audience === 'customer' && !consent) return skip(message, 'paused');
  if (message.audience === 'customer' && customer?.optedOut && !consent) return skip(message, 'opted_out');
  if (!isReachableOnWhatsApp(message.phone, customer)) return skip(message, 'landline');
  if (!tenant.whatsappNumberId) return skip(message, 'no_whatsapp_number');

  if (!templated && !isWindowOpen(customer?.lastInboundAt, now)) {
    if (message.audience !== 'owner') return skip(message, 'window_closed');
    // Owners get the alert all the same, as the approved owner-alert template.
    const template = { name: 'findo_owner_alert', language: tenant.language, params: templateBodyParams('findo_owner_alert', { text: message.text ?? '' }) };
    await MessageModel.updateOne({ tenantId: tenant.id, _id: message._id }, { $set: { kind: 'template', template } });
    message.kind = 'template';
    message.set('template', template);
  }

  const respectsQuietTime = message.audience === 'owner' ? !settings.ownerAlertsAnytime : message.kind === 'template';
  if (respectsQuietTime && !consent) {
    const sendAfter = nextSendableTime(now, {
      timezone: tenant.timezone,
      quietHours: parseQuietHours(settings.quietHours),
      observeShabbat: settings.observeShabbat,
    });
    if (sendAfter.getTime() > now.getTime()) return defer(services, tenant, message, sendAfter);
  }

  // Claim the message: only one attempt at a time may talk to WhatsApp.
  const claimed = await MessageModel.findOneAndUpdate(
    { tenantId: tenant.id, _id: message._id, status: { $in: ['pending', 'deferred'] } },
    { $set: { status: 'sending', statusAt: now }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  );
  if (!claimed) {
    const current = await MessageModel.findOne({ tenantId: tenant.id, _id: message._id });
    return deliverMessage(services, tenant, current!);
  }

  try {
    const whatsapp = await services.whatsappFor(tenant);
    const to = claimed.phone;
    const sent =
      claimed.kind === 'template'
        ? await whatsapp.sendTemplate(tenant.whatsappNumberId, to, {
            name: claimed.template!.name!,
            language: claimed.template!.language as Language,
            bodyParams: [...claimed.template!.params],
            quickReplyPayloads: TEMPLATES[claimed.template!.name as TemplateName]?.buttons.map((b) => b.payload),
          })
        : claimed.kind === 'buttons'
          ? await whatsapp.sendButtons(tenant.whatsappNumberId, to, claimed.text ?? '', claimed.buttons.map((b) => ({ id: b.id!, title: b.title! })), { replyToMessageId: claimed.contextMessageId ?? undefined })
          : await whatsapp.sendText(tenant.whatsappNumberId, to, claimed.text ?? '', { replyToMessageId: claimed.contextMessageId ?? undefined });
    await MessageModel.updateOne(
      { tenantId: tenant.id, _id: claimed._id },
      { $set: { status: 'sent', statusAt: new Date(), waMessageId: sent.messageId }, $unset: { error: '' } },
    );
    messagesOut.inc({ audience: claimed.audience, outcome: 'sent' });
    await recordActivity(tenant.id, 'message.sent', `${describe(claimed)} sent to ${claimed.phone}`, ref);
    return { status: 'sent', messageRef: ref, waMessageId: sent.messageId };
  } catch (error) {
    return handleSendError(tenant, claimed, error);
  }
}

function describe(message: Message): string {
  return message.kind === 'template' ? `template ${message.template?.name}` : `${message.audience} message`;
}

async function handleSendError(tenant: Tenant, message: Message, error: unknown): Promise<SendOutcome> {
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
  // Nothing reached WhatsApp: back to pending, and let the job's backoff try again.
  await MessageModel.updateOne({ tenantId: tenant.id, _id: message._id }, { $set: { status: 'pending', error: recorded } });
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
  await enqueueDeferredSend(services.agenda, { tenantId: tenant.id, messageRef: message.id, sendAfter });
  messagesOut.inc({ audience: message.audience, outcome: 'deferred' });
  await recordActivity(tenant.id, 'message.deferred', `${describe(message)} to ${message.phone} deferred to ${sendAfter.toISOString()}`, message.id);
  return { status: 'deferred', messageRef: message.id, sendAfter };
}

/**
 * A message left in `sending`: another attempt is talking to WhatsApp, or one crashed after
 * WhatsApp may have accepted it. Never resend: past the grace period it is recorded as failed with
 * an unknown outcome for staff to check.
 */
async function settleInFlight(message: Message): Promise<SendOutcome> {
  const since = message.statusAt?.getTime() ?? 0;
  if (Date.now() - since < IN_FLIGHT_GRACE_MS) return { status: 'in_flight', messageRef: message.id };
  await MessageModel.updateOne(
    { tenantId: message.tenantId, _id: message._id, status: 'sending' },
    { $set: { status: 'failed', reason: 'unknown_outcome', statusAt: new Date() } },
  );
  return { status: 'failed', messageRef: message.id, reason: 'unknown_outcome' };
}
