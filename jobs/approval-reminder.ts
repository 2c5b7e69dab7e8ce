/**
 * approval-reminder: reminds the owner once of a review draft left unanswered. Queued when the
 * draft is sent (one per approval); when due it sends `REMINDER_DUE` to the approval, which
 * reminds only if the draft still waits and was not reminded before.
 */
import { ConversationModel, TenantModel } from '../bot/db/models/index.ts';
import { applyApprovalEvent } from '../bot/flows/review-approvals.ts';
import { defineJob } from './define.ts';

export const approvalReminderJob = defineJob('approval-reminder', async ({ tenantId, conversationRef }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant || tenant.disabled) return;
  const conversation = await ConversationModel.findOne({ tenantId, _id: conversationRef, kind: 'review_approval' });
  if (!conversation?.subjectId || conversation.status !== 'open') return;
  await applyApprovalEvent(services, tenant, conversation.subjectId, { type: 'REMINDER_DUE' }, `reminder:${conversation.id}`);
});
