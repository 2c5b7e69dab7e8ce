/**
 * The owner's approval of drafts before Findo publishes them on Google (flows F3 and F4): a reply to
 * a review below `autoReplyMinStars`, or a local post. Both are one machine
 * (machines/draft-approval.ts) in one persisted conversation per subject, numbered with the
 * smallest number free among the tenant's open approvals of either kind. The owner answers with a
 * button, `1`/`אשר`, `2`/`דלג`, or their own text; several pending drafts are told apart by
 * WhatsApp's reply context (the draft message quoted) or by a number (`#3 אשר`). Every change to an
 * approval happens under its lock (`approval:<subjectId>`). Drafts, reminders and outcomes go to
 * every owner; any owner may answer, the first answer decides, and an owner who answers later is
 * told what was decided. What differs by subject lives in its DraftSubjectHandlers.
 */
import {
  advanceConversation,
  snapshotOf,
  flushOutbox,
  startConversation,
  type ConversationDefinition,
  type EffectHandlers,
  type EffectRun,
} from '../conversations.ts';
import { ConversationModel, MessageModel, type Conversation, type ConversationKind, type Tenant } from '../db/models/index.ts';
import { parseApprovalReply, parseOwnerCommand, type ApprovalReply } from '../intents.ts';
import { withLock } from '../locks.ts';
import { alertOwners, textAlert } from '../outbound/owner-alerts.ts';
import { sendMessage, type OutboundContent } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import { t, type Language } from '../texts/index.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';
import {
  draftApprovalMachine,
  isAwaitingOwner,
  upgradeDraftApproval,
  VERSION,
  type DraftApprovalEvent,
  type DraftSubject,
} from '../../machines/draft-approval.ts';
import type { DraftSubjectHandlers } from './draft-subject.ts';
import { postDraftSubject } from './posts/approval-subject.ts';
import { reviewDraftSubject } from './reviews/approval-subject.ts';

const SUBJECTS: Record<DraftSubject, DraftSubjectHandlers> = { review: reviewDraftSubject, post: postDraftSubject };
const APPROVAL_KINDS: ConversationKind[] = Object.values(SUBJECTS).map((s) => s.kind);

const definitionOf = (subject: DraftSubject): ConversationDefinition<typeof draftApprovalMachine> => ({
  kind: SUBJECTS[subject].kind,
  machine: draftApprovalMachine,
  version: VERSION,
  upgrade: upgradeDraftApproval,
});

const subjectOfKind = (kind: string): DraftSubject => (kind === SUBJECTS.post.kind ? 'post' : 'review');

/** Reply-button ids of a draft: `approval:<conversationId>:approve|skip`. */
const APPROVAL_BUTTON = /^approval:([0-9a-f]{24}):(approve|skip)$/;

const lockKey = (subjectId: string) => `approval:${subjectId}`;

/** Options of the reminder, read when a draft is sent. */
export const approvalReminderOptions = {
  /** How long a draft waits for the owner before the one reminder. Default 24 h; tests shorten it. */
  delayMs: 24 * 3_600_000,
};

/** The tenant's approvals (reviews and posts) still waiting for the owner, by number. */
export async function pendingApprovals(tenantId: string): Promise<Conversation[]> {
  const open = await ConversationModel.find({ tenantId, kind: { $in: APPROVAL_KINDS }, status: 'open' }).sort({ number: 1 });
  // Version 1 stored the same states: its pending approvals are still pending.
  return open.filter((c) => c.machineVersion <= VERSION && isAwaitingOwner(snapshotOf(c)));
}

/** The smallest number ≥ 1 not used by an open approval. */
export function nextFreeNumber(used: Iterable<number>): number {
  const taken = new Set(used);
  let n = 1;
  while (taken.has(n)) n += 1;
  return n;
}

/**
 * Starts the approval of a draft (idempotent: one approval per subject): numbers it and sends it
 * to every owner with approve/skip buttons (the conversation is kept under the primary owner's
 * phone). `onStarted` runs once, when the approval is created.
 */
export async function startDraftApproval(
  services: Services,
  tenant: Tenant,
  draft: { subject: DraftSubject; subjectId: string; text: string },
  onStarted?: (number: number) => Promise<void>,
): Promise<Conversation | null> {
  const ownerPhone = tenant.ownerPhones[0];
  if (!ownerPhone) return null;
  const definition = definitionOf(draft.subject);
  const conversation = await withLock(tenant.id, 'approval-numbers', async () => {
    const existing = await ConversationModel.findOne({ tenantId: tenant.id, kind: definition.kind, subjectId: draft.subjectId });
    if (existing) return existing;
    const open = await ConversationModel.find({ tenantId: tenant.id, kind: { $in: APPROVAL_KINDS }, status: 'open' }, { number: 1 });
    const number = nextFreeNumber(open.map((c) => c.number ?? 0));
    const started = await startConversation(
      definition,
      { tenantId: tenant.id, phone: ownerPhone, subjectId: draft.subjectId, number },
      { subject: draft.subject, subjectId: draft.subjectId, draft: draft.text },
    );
    await onStarted?.(number);
    return started;
  });
  return withLock(tenant.id, lockKey(draft.subjectId), async () => {
    const current = await ConversationModel.findOne({ tenantId: tenant.id, _id: conversation._id });
    return flushOutbox(current!, effects(services, tenant));
  });
}

/**
 * Applies an event from a job (reminder due, published or failed) to the approval of a subject.
 * `key` makes it apply once.
 */
export async function applyApprovalEvent(
  services: Services,
  tenant: Tenant,
  about: { subject: DraftSubject; subjectId: string },
  event: DraftApprovalEvent,
  key: string,
): Promise<void> {
  const definition = definitionOf(about.subject);
  await withLock(tenant.id, lockKey(about.subjectId), async () => {
    const conversation = await ConversationModel.findOne({ tenantId: tenant.id, kind: definition.kind, subjectId: about.subjectId });
    if (!conversation) return;
    await advanceConversation(definition, conversation, event, key, effects(services, tenant));
  });
}

/** Applies an event to an approval known by its conversation id (the reminder job's reference). */
export async function applyApprovalEventTo(
  services: Services,
  tenant: Tenant,
  conversationRef: string,
  event: DraftApprovalEvent,
  key: string,
): Promise<void> {
  const conversation = await ConversationModel.findOne({ tenantId: tenant.id, _id: conversationRef, kind: { $in: APPROVAL_KINDS } });
  if (!conversation?.subjectId || conversation.status !== 'open') return;
  await applyApprovalEvent(services, tenant, { subject: subjectOfKind(conversation.kind), subjectId: conversation.subjectId }, event, key);
}

/**
 * An owner's message, if it answers a pending draft. Returns true when it did (or tried to: an
 * ambiguous answer gets `owner.whichDraft`), false to let the owner's commands have it.
 */
export async function handleOwnerApprovalReply(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<boolean> {
  if (!tenant.ownerPhones.includes(item.from)) return false;
  const language = tenant.language;

  let target: Conversation | null = null;
  let reply: ApprovalReply;
  const button = item.replyId?.match(APPROVAL_BUTTON);
  if (button) {
    target = await ConversationModel.findOne({ tenantId: tenant.id, _id: button[1], kind: { $in: APPROVAL_KINDS } });
    if (!target) return false;
    reply = { action: button[2] as 'approve' | 'skip' };
  } else {
    const text = item.text ?? '';
    if (!text.trim()) return false;
    reply = parseApprovalReply(text);
    // "עזרה" quoted on a draft is still the help command, never a text to publish on Google.
    if (reply.action === 'text' && parseOwnerCommand(text) !== null) return false;
    if (item.contextMessageId) target = await approvalQuotedBy(tenant.id, item.contextMessageId);
    if (!target) {
      const pending = await pendingApprovals(tenant.id);
      // Another owner's answer may have just decided the only draft: this one came a moment late.
      if (pending.length === 0) return tellJustDecided(services, tenant, item.from);
      if (reply.number !== undefined) target = pending.find((c) => c.number === reply.number) ?? null;
      else if (pending.length === 1) target = pending[0]!;
      if (!target) {
        await whichDraft(services, tenant, item, pending, language);
        return true;
      }
    }
  }

  const event: DraftApprovalEvent =
    reply.action === 'approve'
      ? { type: 'OWNER_APPROVED' }
      : reply.action === 'skip'
        ? { type: 'OWNER_SKIPPED' }
        : { type: 'OWNER_WROTE', text: reply.text ?? '' };
  const subject = subjectOfKind(target.kind);
  const subjectId = target.subjectId!;
  await withLock(tenant.id, lockKey(subjectId), async () => {
    const current = await ConversationModel.findOne({ tenantId: tenant.id, _id: target._id });
    if (!current) return;
    // Answered before (a second tap, a late "1", another owner first): the first answer stands,
    // and nothing is published twice.
    if (current.status !== 'open' || !isAwaitingOwner(snapshotOf(current))) return tellDecided(services, tenant, current, item.from);
    await SUBJECTS[subject].recordDecider(tenant, subjectId, item.from);
    await advanceConversation(definitionOf(subject), current, event, `wa:${item.messageId}`, effects(services, tenant));
  });
  return true;
}

/** Tells an owner who answered a draft after another owner did what that owner decided (once per draft). */
async function tellDecided(services: Services, tenant: Tenant, conversation: Conversation, owner: string): Promise<boolean> {
  const subject = SUBJECTS[subjectOfKind(conversation.kind)];
  const text = await subject.decidedMessage(tenant, conversation.subjectId ?? '', conversation.number ?? 0, owner);
  if (!text) return false;
  await alertOwners(services, tenant, textAlert(`draft-decided:${conversation.id}`, text), { audience: { only: owner } });
  return true;
}

/** How long after another owner's decision a draft answer is taken as a late answer to it. */
const LATE_ANSWER_MS = 2 * 60_000;

/**
 * With no draft pending: when another owner decided a draft moments ago, tells this owner what was
 * decided (true); otherwise the message is not an answer to a draft (false).
 */
async function tellJustDecided(services: Services, tenant: Tenant, owner: string): Promise<boolean> {
  const recent = await ConversationModel.find({
    tenantId: tenant.id,
    kind: { $in: APPROVAL_KINDS },
    updatedAt: { $gte: new Date(Date.now() - LATE_ANSWER_MS) },
  })
    .sort({ updatedAt: -1 })
    .limit(1);
  const decided = recent.find((c) => !isAwaitingOwner(snapshotOf(c)));
  return decided ? tellDecided(services, tenant, decided, owner) : false;
}

/** The approval whose draft (or reminder) message the owner quoted, if any. */
async function approvalQuotedBy(tenantId: string, waMessageId: string): Promise<Conversation | null> {
  const quoted = await MessageModel.findOne({ tenantId, waMessageId, direction: 'out' }, { conversationId: 1 });
  if (!quoted?.conversationId) return null;
  return ConversationModel.findOne({ tenantId, _id: quoted.conversationId, kind: { $in: APPROVAL_KINDS } });
}

async function whichDraft(services: Services, tenant: Tenant, item: WhatsAppInboundMessage, pending: Conversation[], language: Language) {
  await sendMessage(services, {
    tenantId: tenant.id,
    phone: item.from,
    audience: 'owner',
    idempotencyKey: `which-draft:${item.messageId}`,
    content: { kind: 'text', text: t(language, 'owner.whichDraft', { numbers: pending.map((c) => c.number).join(', ') }) },
    replyToMessageId: item.messageId,
  });
}

/** Carries out the approval machine's actions. Every message is keyed by its effect. */
function effects(services: Services, tenant: Tenant): EffectHandlers<typeof draftApprovalMachine> {
  const language = tenant.language;
  const toOwner = ({ key, conversation }: EffectRun, text: string, buttons = false) => {
    const content: OutboundContent = buttons
      ? {
          kind: 'buttons',
          text,
          buttons: [
            { id: `approval:${conversation.id}:approve`, title: t(language, 'owner.button.approve') },
            { id: `approval:${conversation.id}:skip`, title: t(language, 'owner.button.skip') },
          ],
        }
      : { kind: 'text', text };
    return alertOwners(services, tenant, { key, content, conversationId: conversation.id }, { audience: 'all' });
  };

  return {
    sendDraftToOwner: async ({ subject, subjectId, draft }, run) => {
      await toOwner(run, await SUBJECTS[subject].draftMessage(tenant, subjectId, run.conversation.number ?? 0, draft), true);
    },
    scheduleReminder: async (_, { conversation }) => {
      await services.enqueue(
        'approval-reminder',
        { tenantId: tenant.id, conversationRef: conversation.id },
        { at: new Date(Date.now() + approvalReminderOptions.delayMs) },
      );
    },
    remindOwner: async ({ subject, subjectId }, run) => {
      await toOwner(run, await SUBJECTS[subject].reminderMessage(tenant, subjectId, run.conversation.number ?? 0), true);
    },
    publish: async ({ subject, subjectId, text }) => {
      await SUBJECTS[subject].publish(services, tenant, subjectId, text);
    },
    confirmToOwner: async ({ subject, subjectId, outcome }, run) => {
      await toOwner(run, await SUBJECTS[subject].concluded(tenant, subjectId, outcome));
    },
  };
}
