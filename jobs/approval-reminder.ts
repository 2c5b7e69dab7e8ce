/**
 * approval-reminder: reminds the owner once of a draft (review reply or post) left unanswered.
 * Queued when the draft is sent (one per approval); when due it sends `REMINDER_DUE` to the
 * approval, which reminds only if the draft still waits and was not reminded before.
 */
import { TenantModel } from '../bot/db/models/index.ts';
import { applyApprovalEventTo } from '../bot/flows/draft-approvals.ts';
import { defineJob } from './define.ts';

export const approvalReminderJob = defineJob('approval-reminder', async ({ tenantId, conversationRef }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant || tenant.disabled) return;
  await applyApprovalEventTo(services, tenant, conversationRef, { type: 'REMINDER_DUE' }, `reminder:${conversationRef}`);
});
