/**
 * review-request: the due step of a review request — the request itself, or its one reminder.
 * One pending run per request and step; the request's status and the message's idempotency key
 * make any later run a no-op, so neither is ever sent twice.
 */
import { ReviewRequestModel, TenantModel } from '../bot/db/models/index.ts';
import { sendReviewRequestStep } from '../bot/flows/review-requests.ts';
import { withLock } from '../bot/locks.ts';
import { defineJob } from './define.ts';

export const reviewRequestJob = defineJob('review-request', async ({ tenantId, requestRef, step }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant || tenant.disabled) return;
  await withLock(tenantId, `review-request:${requestRef}`, async () => {
    const request = await ReviewRequestModel.findOne({ tenantId, _id: requestRef });
    if (request) await sendReviewRequestStep(services, tenant, request, step);
  });
});
