/**
 * check-post: reads Google's moderation of a published post (bot/flows/posts/publishing.ts):
 * `LIVE` is recorded, `REJECTED` is told to the owners, `PROCESSING` queues the next round. Quota
 * and 5xx errors are retried; a permanent one (disconnected, post deleted) ends the checks.
 */
import { checkPublishedPost } from '../bot/flows/posts/publishing.ts';
import { isIntegrationError } from '../integrations/errors.ts';
import { defineJob } from './define.ts';

export const checkPostJob = defineJob('check-post', async ({ tenantId, postRef, round }, services) => {
  try {
    await checkPublishedPost(services, tenantId, postRef, round);
  } catch (error) {
    if (!isIntegrationError(error) || error.isRetryable) throw error;
    services.logger.warn({ tenantId, postRef, code: error.details.code, err: error.message }, 'post check stopped');
  }
});
