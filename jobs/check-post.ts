/**
 * check-post: reads Google's moderation of a published post (bot/flows/posts/publishing.ts):
 * `LIVE` is recorded, `REJECTED` is told to the owners, `PROCESSING` queues the next round.
 */
import { checkPublishedPost } from '../bot/flows/posts/publishing.ts';
import { defineJob } from './define.ts';

export const checkPostJob = defineJob('check-post', async ({ tenantId, postRef, round }, services) => {
  await checkPublishedPost(services, tenantId, postRef, round);
});
