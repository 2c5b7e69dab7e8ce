/**
 * publish-post: publishes one owner-approved post on Google (bot/flows/posts/publishing.ts). One
 * pending run per post; the handler publishes only while the post is `publishing`, under its lock,
 * and after an attempt whose outcome is unknown it looks for the post on Google before creating it
 * again. Quota (429) waits as long as Google asks; 5xx and network errors back off.
 */
import { publishPost } from '../bot/flows/posts/publishing.ts';
import { defineJob } from './define.ts';

export const publishPostJob = defineJob('publish-post', async ({ tenantId, postRef }, services) => {
  await publishPost(services, tenantId, postRef);
});
