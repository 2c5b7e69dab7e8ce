/**
 * approval-reminder: reminds the owner once of a review draft left unanswered. Scheduled when the
 * draft is sent (one per approval, unique); when due it sends `REMINDER_DUE` to the approval,
 * which reminds only if the draft still waits and was not reminded before.
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { ConversationModel, TenantModel } from '../bot/db/models/index.ts';
import { applyApprovalEvent } from '../bot/flows/review-approvals.ts';
import { defineJob, enqueue, SEND_RETRY } from './define.ts';

/** Options of the reminder, read when a draft is sent. */
export const approvalReminderOptions = {
  /** How long a draft waits for the owner before the one reminder. Default 24 h; tests shorten it. */
  delayMs: 24 * 3_600_000,
};

export const approvalReminderJob = defineJob({
  name: 'approval-reminder',
  schema: z.object({ tenantId: z.string(), conversationRef: z.string() }),
  concurrency: 5,
  backoff: SEND_RETRY,
  async handler({ tenantId, conversationRef }, services) {
    const tenant = await TenantModel.findById(tenantId);
    if (!tenant || tenant.disabled) return;
    const conversation = await ConversationModel.findOne({ tenantId, _id: conversationRef, kind: 'review_approval' });
    if (!conversation?.subjectId || conversation.status !== 'open') return;
    await applyApprovalEvent(services, tenant, conversation.subjectId, { type: 'REMINDER_DUE' }, `reminder:${conversation.id}`);
  },
});

/** Schedules the one reminder of an approval. */
export async function enqueueApprovalReminder(agenda: Agenda, input: { tenantId: string; conversationRef: string }): Promise<void> {
  await enqueue(agenda, approvalReminderJob, input, {
    when: new Date(Date.now() + approvalReminderOptions.delayMs),
    uniqueBy: { name: approvalReminderJob.name, 'data.conversationRef': input.conversationRef },
  });
}
