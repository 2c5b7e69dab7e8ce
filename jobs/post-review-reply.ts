/**
 * post-review-reply: posts the reply to one Google review, automatic or approved by the owner.
 * One pending run per review (unique), and the handler posts only while the review's reply state
 * is `posting`, under the review's lock: a second run, a replay or a duplicate finds it `posted`
 * and does nothing. Quota (429) waits as long as Google asks; 5xx and network errors back off.
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { googleBackoff } from '../bot/google-clients.ts';
import { postReviewReply } from '../bot/flows/reviews.ts';
import { defineJob, enqueue } from './define.ts';

export const postReviewReplyJob = defineJob({
  name: 'post-review-reply',
  schema: z.object({ tenantId: z.string(), reviewRef: z.string() }),
  concurrency: 5,
  backoff: googleBackoff({ delayMs: 10_000, maxDelayMs: 30 * 60_000, maxRetries: 10 }),
  async handler({ tenantId, reviewRef }, services) {
    await postReviewReply(services, tenantId, reviewRef);
  },
});

/** Queues the post of a review's reply now; a run already pending for the review absorbs it. */
export async function enqueuePostReviewReply(agenda: Agenda, input: { tenantId: string; reviewRef: string }): Promise<void> {
  await enqueue(agenda, postReviewReplyJob, input, {
    uniqueBy: { name: postReviewReplyJob.name, 'data.reviewRef': input.reviewRef, nextRunAt: { $ne: null } },
  });
}
