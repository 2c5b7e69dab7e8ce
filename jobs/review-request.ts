/**
 * review-request: the due step of a review request — the request itself, or its one reminder.
 * One pending run per request and step (unique); the request's status and the message's
 * idempotency key make any later run a no-op, so neither is ever sent twice.
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { ReviewRequestModel, TenantModel } from '../bot/db/models/index.ts';
import { sendReviewRequestStep } from '../bot/flows/review-requests.ts';
import { withLock } from '../bot/locks.ts';
import { defineJob, enqueue, SEND_RETRY } from './define.ts';

const step = z.enum(['request', 'reminder']);

export const reviewRequestJob = defineJob({
  name: 'review-request',
  schema: z.object({ tenantId: z.string(), requestRef: z.string(), step }),
  concurrency: 5,
  backoff: SEND_RETRY,
  async handler({ tenantId, requestRef, step }, services) {
    const tenant = await TenantModel.findById(tenantId);
    if (!tenant || tenant.disabled) return;
    await withLock(tenantId, `review-request:${requestRef}`, async () => {
      const request = await ReviewRequestModel.findOne({ tenantId, _id: requestRef });
      if (request) await sendReviewRequestStep(services, tenant, request, step);
    });
  },
});

export async function enqueueReviewRequestStep(agenda: Agenda, input: { tenantId: string; requestRef: string; step: z.infer<typeof step>; when: Date }) {
  await enqueue(agenda, reviewRequestJob, { tenantId: input.tenantId, requestRef: input.requestRef, step: input.step }, {
    when: input.when,
    uniqueBy: { name: reviewRequestJob.name, 'data.requestRef': input.requestRef, 'data.step': input.step },
  });
}
