/**
 * The owner's approval of review reply drafts (flow F3), modelled by machines/review-approval.ts:
 * one persisted conversation per review below `autoReplyMinStars`, numbered with the smallest
 * number free among the tenant's open approvals. The owner answers with a button, `1`/`אשר`,
 * `2`/`דלג`, or their own text; several pending drafts are told apart by WhatsApp's reply context
 * (the draft message quoted) or by a number (`#3 אשר`). Every change to an approval happens under
 * its lock (`approval:<reviewId>`). Drafts, reminders and outcomes go to every owner; any owner may
 * answer, the first answer decides, and an owner who answers later is told what was decided.
 */
import { recordActivity } from '../activity.ts';
import {
  advanceConversation,
  snapshotOf,
  flushOutbox,
  startConversation,
  type ConversationDefinition,
  type EffectHandlers,
  type EffectRun,
} from '../conversations.ts';
import { ConversationModel, MessageModel, ReviewModel, type Conversation, type Tenant } from '../db/models/index.ts';
import { parseApprovalReply, parseOwnerCommand, type ApprovalReply } from '../intents.ts';
import { withLock } from '../locks.ts';
import { alertOwners, textAlert } from '../outbound/owner-alerts.ts';
import { sendMessage, type OutboundContent } from '../outbound/sender.ts';
import { formatNational } from '../../lib/phone.ts';
import type { Services } from '../services.ts';
import { t, type Language } from '../texts/index.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';
import { isAwaitingOwner, reviewApprovalMachine, VERSION, type ReviewApprovalEvent } from '../../machines/review-approval.ts';
import { reviewerLabel, writeReplyFor } from './reviews/replies.ts';

export const reviewApproval: ConversationDefinition<typeof reviewApprovalMachine> = {
  kind: 'review_approval',
  machine: reviewApprovalMachine,
  version: VERSION,
};

/** Reply-button ids of a draft: `approval:<conversationId>:approve|skip`. */
const APPROVAL_BUTTON = /^approval:([0-9a-f]{24}):(approve|skip)$/;

const lockKey = (reviewId: string) => `approval:${reviewId}`;

/** Options of the reminder, read when a draft is sent. */
export const approvalReminderOptions = {
  /** How long a draft waits for the owner before the one reminder. Default 24 h; tests shorten it. */
  delayMs: 24 * 3_600_000,
};

/** The tenant's approvals still waiting for the owner, by number. */
export async function pendingApprovals(tenantId: string): Promise<Conversation[]> {
  const open = await ConversationModel.find({ tenantId, kind: 'review_approval', status: 'open' }).sort({ number: 1 });
  return open.filter((c) => c.machineVersion === VERSION && isAwaitingOwner(snapshotOf(c)));
}

/** The smallest number ≥ 1 not used by an open approval. */
export function nextFreeNumber(used: Iterable<number>): number {
  const taken = new Set(used);
  let n = 1;
  while (taken.has(n)) n += 1;
  return n;
}

/**
 * Starts the approval of a review's reply (idempotent: one approval per review): writes the draft,
 * numbers it, and sends it to every owner with approve/skip buttons (the conversation is kept under
 * the primary owner's phone).
 */
export async function startReviewApproval(services: Services, tenant: Tenant, reviewId: string): Promise<Conversation | null> {
  const review = await ReviewModel.findOne({ tenantId: tenant.id, _id: reviewId });
  const ownerPhone = tenant.ownerPhones[0];
  if (!review || !ownerPhone) return null;

  // Written before any lock is taken: the AI call may take seconds.
  let draft = review.reply?.draft;
  if (!draft) {
    const written = await writeReplyFor(services, tenant, review);
    draft = written.text;
    await ReviewModel.updateOne({ tenantId: tenant.id, _id: review._id }, { $set: { 'reply.draft': draft, language: written.language } });
  }

  const conversation = await withLock(tenant.id, 'approval-numbers', async () => {
    const existing = await ConversationModel.findOne({ tenantId: tenant.id, kind: 'review_approval', subjectId: review.id });
    if (existing) return existing;
    const open = await ConversationModel.find({ tenantId: tenant.id, kind: 'review_approval', status: 'open' }, { number: 1 });
    const number = nextFreeNumber(open.map((c) => c.number ?? 0));
    const started = await startConversation(
      reviewApproval,
      { tenantId: tenant.id, phone: ownerPhone, subjectId: review.id, number },
      { reviewId: review.id, draft: draft! },
    );
    await ReviewModel.updateOne(
      { tenantId: tenant.id, _id: review._id },
      { $set: { 'reply.state': 'awaiting_owner', 'reply.draft': draft } },
    );
    await recordActivity(
      tenant.id,
      'review.draft',
      `draft ${number} for ${review.stars}★ review from ${reviewerLabel(tenant, review)} sent to the owner`,
      review.id,
    );
    return started;
  });
  return withLock(tenant.id, lockKey(review.id), async () => {
    const current = await ConversationModel.findOne({ tenantId: tenant.id, _id: conversation._id });
    return flushOutbox(current!, effects(services, tenant));
  });
}

/**
 * Applies an event from a job (reminder due, reply posted or failed) to the approval of a review.
 * `key` makes it apply once.
 */
export async function applyApprovalEvent(
  services: Services,
  tenant: Tenant,
  reviewId: string,
  event: ReviewApprovalEvent,
  key: string,
): Promise<void> {
  await withLock(tenant.id, lockKey(reviewId), async () => {
    const conversation = await ConversationModel.findOne({ tenantId: tenant.id, kind: 'review_approval', subjectId: reviewId });
    if (!conversation) return;
    await advanceConversation(reviewApproval, conversation, event, key, effects(services, tenant));
  });
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
    target = await ConversationModel.findOne({ tenantId: tenant.id, _id: button[1], kind: 'review_approval' });
    if (!target) return false;
    reply = { action: button[2] as 'approve' | 'skip' };
  } else {
    const text = item.text ?? '';
    if (!text.trim()) return false;
    reply = parseApprovalReply(text);
    // "עזרה" quoted on a draft is still the help command, never a reply to post on Google.
    if (reply.action === 'text' && parseOwnerCommand(text) !== null) return false;
    if (item.contextMessageId) target = await approvalQuotedBy(tenant.id, item.contextMessageId);
    if (!target) {
      const pending = await pendingApprovals(tenant.id);
      if (pending.length === 0) {
        target = pickByNumber(await decidedAfterSent(tenant.id, item), reply);
        if (!target) return false;
      } else target = pickByNumber(pending, reply);
      if (!target) {
        await whichDraft(services, tenant, item, pending, language);
        return true;
      }
    }
  }

  const event: ReviewApprovalEvent =
    reply.action === 'approve'
      ? { type: 'OWNER_APPROVED' }
      : reply.action === 'skip'
        ? { type: 'OWNER_SKIPPED' }
        : { type: 'OWNER_WROTE', text: reply.text ?? '' };
  const reviewId = target.subjectId!;
  await withLock(tenant.id, lockKey(reviewId), async () => {
    const current = await ConversationModel.findOne({ tenantId: tenant.id, _id: target._id });
    if (!current) return;
    // Answered before (a second tap, a late "1", another owner first): the first answer stands,
    // and nothing is posted twice.
    if (current.status !== 'open' || !isAwaitingOwner(snapshotOf(current))) return tellDecided(services, tenant, current, item.from);
    await ReviewModel.updateOne(
      { tenantId: tenant.id, _id: reviewId },
      { $set: { 'reply.decidedBy': item.from, 'reply.decidedAt': new Date() } },
    );
    await advanceConversation(reviewApproval, current, event, `wa:${item.messageId}`, effects(services, tenant));
  });
  return true;
}

/** Tells an owner who answered a draft after another owner did what that owner decided (once per draft). */
async function tellDecided(services: Services, tenant: Tenant, conversation: Conversation, owner: string): Promise<void> {
  const review = await ReviewModel.findOne({ tenantId: tenant.id, _id: conversation.subjectId });
  const decidedBy = review?.reply?.decidedBy;
  if (!review || !decidedBy || decidedBy === owner) return;
  const decision = review.reply?.state === 'skipped' ? 'owner.draftDecidedSkipped' : 'owner.draftDecidedApproved';
  const text = t(tenant.language, decision, {
    reviewer: reviewerLabel(tenant, review),
    number: conversation.number ?? 0,
    owner: formatNational(decidedBy),
  });
  await alertOwners(services, tenant, textAlert(`draft-decided:${conversation.id}`, text), { audience: { only: owner } });
}

/** The approval a reply's number names, else the only one. */
function pickByNumber(approvals: Conversation[], reply: ApprovalReply): Conversation | null {
  if (reply.number !== undefined) return approvals.find((c) => c.number === reply.number) ?? null;
  return approvals.length === 1 ? approvals[0]! : null;
}

/**
 * The approvals another owner decided after this owner's message was sent: it answered a draft
 * that was still waiting, though it is handled only now (a loaded worker took the first answer
 * first), so its owner is to be told the decision rather than have it read as a command.
 */
async function decidedAfterSent(tenantId: string, item: WhatsAppInboundMessage): Promise<Conversation[]> {
  const sentAt = new Date(item.timestamp);
  const touched = await ConversationModel.find({ tenantId, kind: 'review_approval', updatedAt: { $gte: sentAt } });
  const decided = await Promise.all(
    touched.map(async (conversation) => {
      const reply = (await ReviewModel.findOne({ tenantId, _id: conversation.subjectId }, { reply: 1 }))?.reply;
      return reply?.decidedAt && reply.decidedAt >= sentAt && reply.decidedBy !== item.from;
    }),
  );
  return touched.filter((_, i) => decided[i]);
}

/** The approval whose draft (or reminder) message the owner quoted, if any. */
async function approvalQuotedBy(tenantId: string, waMessageId: string): Promise<Conversation | null> {
  const quoted = await MessageModel.findOne({ tenantId, waMessageId, direction: 'out' }, { conversationId: 1 });
  if (!quoted?.conversationId) return null;
  return ConversationModel.findOne({ tenantId, _id: quoted.conversationId, kind: 'review_approval' });
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
function effects(services: Services, tenant: Tenant): EffectHandlers<typeof reviewApprovalMachine> {
  const language = tenant.language;

  /** The review an effect is about, and how the owner knows its reviewer. */
  const reviewOf = async (reviewId: string) => {
    const review = await ReviewModel.findOne({ tenantId: tenant.id, _id: reviewId });
    return { review, reviewer: review ? reviewerLabel(tenant, review) : t(language, 'owner.unknownValue') };
  };
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
    sendDraftToOwner: async ({ reviewId, draft }, run) => {
      const { review, reviewer } = await reviewOf(reviewId);
      const number = run.conversation.number ?? 0;
      await toOwner(
        run,
        t(language, 'owner.reviewDraft', { number, reviewer, stars: review?.stars ?? 0, comment: review?.comment ?? '', draft }),
        true,
      );
    },
    scheduleReminder: async (_, { conversation }) => {
      await services.enqueue(
        'approval-reminder',
        { tenantId: tenant.id, conversationRef: conversation.id },
        {
          at: new Date(Date.now() + approvalReminderOptions.delayMs),
        },
      );
    },
    remindOwner: async ({ reviewId }, run) => {
      const { reviewer } = await reviewOf(reviewId);
      await toOwner(run, t(language, 'owner.draftReminder', { reviewer, number: run.conversation.number ?? 0 }), true);
    },
    postReply: async ({ reviewId, text }) => {
      await ReviewModel.updateOne(
        { tenantId: tenant.id, _id: reviewId, 'reply.state': { $in: ['none', 'awaiting_owner'] } },
        { $set: { 'reply.state': 'posting', 'reply.text': text, 'reply.auto': false } },
      );
      await services.enqueue('post-review-reply', { tenantId: tenant.id, reviewRef: reviewId });
    },
    confirmToOwner: async ({ reviewId, outcome }, run) => {
      const { reviewer } = await reviewOf(reviewId);
      switch (outcome) {
        case 'posted':
          await toOwner(run, t(language, 'owner.reviewPosted', { reviewer }));
          return;
        case 'skipped':
          await ReviewModel.updateOne(
            { tenantId: tenant.id, _id: reviewId, 'reply.state': 'awaiting_owner' },
            { $set: { 'reply.state': 'skipped' } },
          );
          await recordActivity(tenant.id, 'review.replied', `owner skipped the reply to ${reviewer}`, reviewId);
          await toOwner(run, t(language, 'owner.reviewSkipped', { reviewer }));
          return;
        case 'failed':
          await toOwner(run, t(language, 'owner.replyRejected', { reviewer }));
          return;
      }
    },
  };
}
