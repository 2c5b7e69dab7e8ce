/**
 * post-review-reply: posts the reply to one Google review, automatic or approved by the owner.
 * One pending run per review, and the handler posts only while the review's reply state is
 * `posting`, under the review's lock: a second run, a replay or a duplicate finds it `posted` and
 * does nothing. Quota (429) waits as long as Google asks; 5xx and network errors back off.
 */
import { postReviewReply } from '../bot/flows/reviews/posting.ts';
import { defineJob } from './define.ts';

export const postReviewReplyJob = defineJob('post-review-reply', async ({ tenantId, reviewRef }, services) => {
  await postReviewReply(services, tenantId, reviewRef);
});
