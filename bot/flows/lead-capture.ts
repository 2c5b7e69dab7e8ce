/**
 * Lead capture (flow F1): the customer conversation modelled by machines/lead-capture.ts, wired to
 * the real world. Every customer message restores the machine from MongoDB, applies one event and
 * carries out what the machine asked for: replies through the sender, the lead saved, the owner
 * told, the silence check scheduled.
 */
import { recordActivity } from '../activity.ts';
import {
  advanceConversation,
  snapshotOf,
  endUndeliveredConversation,
  flushOutbox,
  startConversation,
  type ConversationDefinition,
  type EffectHandlers,
} from '../conversations.ts';
import { ConversationModel, CustomerModel, LeadModel, type Conversation, type Tenant } from '../db/models/index.ts';
import { detectConversationIntent } from '../intents.ts';
import { alertOwners } from '../outbound/owner-alerts.ts';
import { isWindowOpen, sendMessage } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import { t, textOf } from '../texts/index.ts';
import type { ExpectedLeadDetail } from '../ai/text-generator.ts';
import {
  expectingOf,
  isHandedOff,
  leadCaptureMachine,
  originOf,
  VERSION,
  type LeadCaptureEvent,
  type LeadField,
  type NotifyOwnerParams,
  type SaveLeadParams,
} from '../../machines/lead-capture.ts';
import { formatContact } from '../../lib/phone.ts';

export const leadCapture: ConversationDefinition<typeof leadCaptureMachine> = {
  kind: 'lead_capture',
  machine: leadCaptureMachine,
  version: VERSION,
};

/** The machine's awaited field as detail extraction names it; with none, it reads whatever came. */
const EXTRACTION_FIELD: Record<LeadField, ExpectedLeadDetail> = { name: 'name', need: 'need', preferredTime: 'time' };

/** The open lead conversation of a customer, or null. Old machine versions are closed, not resumed. */
export async function openLeadConversation(tenantId: string, phone: string): Promise<Conversation | null> {
  const open = await ConversationModel.findOne({ tenantId, phone, kind: 'lead_capture', status: 'open' }).sort({ createdAt: -1 });
  if (open && open.machineVersion !== VERSION) {
    await ConversationModel.updateOne({ tenantId, _id: open._id }, { $set: { status: 'closed', closedAt: new Date(), state: 'retired' } });
    return null;
  }
  return open;
}

/** How long after a handoff the customer's messages go to the owner instead of the bot. */
const HANDOFF_QUIET_MS = 24 * 3_600_000;

/** The customer asked for a person recently: the bot stays quiet and the owner gets their messages. */
export async function recentlyHandedOff(tenantId: string, phone: string): Promise<boolean> {
  const last = await ConversationModel.findOne({ tenantId, phone, kind: 'lead_capture' }).sort({ createdAt: -1 });
  return !!last && isHandedOff(snapshotOf(last)) && Date.now() - (last.closedAt ?? last.updatedAt).getTime() < HANDOFF_QUIET_MS;
}

/** Starts the conversation a missed-call follow-up opened (the template was just sent). */
export async function startMissedCallConversation(services: Services, tenant: Tenant, phone: string): Promise<Conversation> {
  const conversation = await startConversation(leadCapture, { tenantId: tenant.id, phone }, { origin: 'missed_call' });
  await recordActivity(tenant.id, 'conversation.started', `lead conversation with ${phone} (missed call)`, conversation.id);
  return flushOutbox(conversation, effects(services, tenant));
}

/** A customer's message to their lead conversation (a new one starts when there is none). */
export async function handleLeadMessage(
  services: Services,
  tenant: Tenant,
  phone: string,
  message: { id: string; text: string },
  existing: Conversation | null,
): Promise<void> {
  const conversation = existing ?? (await startInbound(services, tenant, phone));
  const awaited = expectingOf(snapshotOf(conversation));
  const expecting = awaited ? EXTRACTION_FIELD[awaited] : 'any';
  const language = tenant.language;
  const intent = detectConversationIntent(message.text);
  const details =
    intent === 'none' && message.text.trim() ? await services.text.extractLeadDetails(message.text, { language, expecting }) : {};
  const event: LeadCaptureEvent = { type: 'CUSTOMER_MESSAGE', text: message.text, understood: { intent, ...details } };
  await advanceConversation(leadCapture, conversation, event, `msg:${message.id}`, effects(services, tenant));
}

async function startInbound(services: Services, tenant: Tenant, phone: string): Promise<Conversation> {
  const conversation = await startConversation(leadCapture, { tenantId: tenant.id, phone }, { origin: 'inbound' });
  await recordActivity(tenant.id, 'conversation.started', `lead conversation with ${phone} (customer wrote first)`, conversation.id);
  return conversation;
}

/** Applies an opt-out to the customer's open conversation: it ends quietly. */
export async function endLeadConversationOnOptOut(services: Services, tenant: Tenant, conversation: Conversation, messageId: string) {
  await advanceConversation(leadCapture, conversation, { type: 'OPTED_OUT' }, `optout:${messageId}`, effects(services, tenant));
}

/** The silence-check job's event: nudge once inside the window, then close with a partial lead. */
export async function applySilenceTimeout(services: Services, tenant: Tenant, conversation: Conversation, checkKey: string) {
  const customer = await CustomerModel.findOne({ tenantId: tenant.id, phone: conversation.phone });
  const event: LeadCaptureEvent = { type: 'SILENCE_TIMEOUT', windowOpen: isWindowOpen(customer?.lastInboundAt) };
  await advanceConversation(leadCapture, conversation, event, checkKey, effects(services, tenant));
}

/**
 * Ends a lead conversation whose question never reached the customer (a skipped or permanently
 * failed message), visibly: its state and an activity line say why.
 */
export async function endUndelivered(services: Services, tenantId: string, conversationId: string, reason: string) {
  if (!(await endUndeliveredConversation(tenantId, conversationId, reason))) return;
  await cancelSilenceCheck(services, conversationId);
  await recordActivity(
    tenantId,
    'conversation.closed',
    `lead conversation ended: the bot's message was not delivered (${reason})`,
    conversationId,
  );
}

/** Queues the check of the customer's silence after the bot's latest question (`seq`). */
function scheduleSilenceCheck(services: Services, tenant: Tenant, conversation: Conversation) {
  return services.enqueue(
    'lead-silence-check',
    { tenantId: tenant.id, conversationRef: conversation.id, seq: conversation.seq },
    {
      at: new Date(Date.now() + tenant.settings.leadNudgeDelay),
    },
  );
}

function cancelSilenceCheck(services: Services, conversationId: string) {
  return services.cancelJobs('lead-silence-check', { conversationRef: conversationId });
}

/** Carries out the lead machine's effects; each one is idempotent by its key. */
function effects(services: Services, tenant: Tenant): EffectHandlers<typeof leadCaptureMachine> {
  const language = tenant.language;
  // Once a question is not delivered, the ones after it in the same outbox are not asked either.
  let undelivered = false;
  return {
    say: async ({ key, vars }, { key: effectKey, conversation }) => {
      if (undelivered) return;
      const text = textOf(language, key, { business: tenant.name, ...vars });
      const outcome = await sendMessage(services, {
        tenantId: tenant.id,
        phone: conversation.phone,
        audience: 'customer',
        idempotencyKey: effectKey,
        conversationId: conversation.id,
        content: { kind: 'text', text },
      });
      if (outcome.status === 'skipped' || outcome.status === 'failed') {
        undelivered = true;
        await endUndelivered(services, tenant.id, conversation.id, outcome.reason ?? outcome.status);
      }
    },
    saveLead: (params, { conversation }) => saveLead(tenant, conversation, params),
    notifyOwner: (params, { key, conversation }) => notifyOwners(services, tenant, conversation, params, key),
    scheduleSilenceCheck: async (_, { conversation }) => {
      if (!undelivered) await scheduleSilenceCheck(services, tenant, conversation);
    },
    cancelSilenceCheck: (_, { conversation }) => cancelSilenceCheck(services, conversation.id),
  };
}

const LEAD_STATUS_OF: Record<SaveLeadParams['status'], 'new' | 'partial' | 'handoff'> = {
  complete: 'new',
  partial: 'partial',
  handoff: 'handoff',
};

async function saveLead(tenant: Tenant, conversation: Conversation, params: SaveLeadParams) {
  const { status, ...details } = params;
  // One lead per conversation (unique index): a repeated effect updates the same lead.
  const lead = await LeadModel.findOneAndUpdate(
    { tenantId: tenant.id, conversationId: conversation.id },
    {
      $set: { ...details, status: LEAD_STATUS_OF[status] },
      $setOnInsert: { phone: conversation.phone, source: originOf(snapshotOf(conversation)) },
    },
    { upsert: true, returnDocument: 'after' },
  );
  if (details.name) await CustomerModel.updateOne({ tenantId: tenant.id, phone: conversation.phone }, { $set: { name: details.name } });
  await recordActivity(
    tenant.id,
    'lead.created',
    `${status} lead from ${conversation.phone}${details.name ? ` (${details.name})` : ''}`,
    lead!.id,
  );
}

async function notifyOwners(services: Services, tenant: Tenant, conversation: Conversation, params: NotifyOwnerParams, effectKey: string) {
  const language = tenant.language;
  const customer = await CustomerModel.findOne({ tenantId: tenant.id, phone: conversation.phone });
  const phone = formatContact(conversation.phone, customer?.name);
  const lead = await LeadModel.findOne({ tenantId: tenant.id, conversationId: conversation.id });
  const unknown = t(language, 'owner.unknownValue');
  let content;
  if (params.kind === 'lead') {
    const summary = await services.text.summariseLead({ ...params, phone: conversation.phone }, language);
    if (lead) await LeadModel.updateOne({ tenantId: tenant.id, _id: lead._id }, { $set: { summary } });
    const text = t(language, 'owner.newLead', {
      summary,
      name: params.name ?? unknown,
      need: params.need ?? unknown,
      time: params.preferredTime ?? unknown,
      phone,
    });
    content = lead
      ? {
          kind: 'buttons' as const,
          text,
          buttons: [
            { id: `lead:${lead.id}:calling_back`, title: t(language, 'owner.button.callingBack') },
            { id: `lead:${lead.id}:done`, title: t(language, 'owner.button.done') },
          ],
        }
      : { kind: 'text' as const, text };
  } else if (params.kind === 'partial_lead') {
    const details = [params.name, params.need, params.preferredTime].filter(Boolean).join(' · ') || unknown;
    content = { kind: 'text' as const, text: t(language, 'owner.partialLead', { phone, details }) };
  } else {
    content = { kind: 'text' as const, text: t(language, 'owner.handoff', { phone, name: params.name ?? unknown }) };
  }
  await alertOwners(services, tenant, { key: effectKey, content, conversationId: conversation.id }, { audience: 'all' });
}
