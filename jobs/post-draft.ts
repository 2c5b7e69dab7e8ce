/**
 * The weekly Google post (flow F4), in two jobs:
 *
 * - `post-draft-due` runs every few minutes (`postOptions.dispatchEvery`) and queues a `post-draft`
 *   for each connected tenant whose `postDay` at 10:00 local time has passed and was not yet served
 *   (bot/flows/posts/drafts.ts: once per slot, not a slot older than a day or before the tenant existed).
 * - `post-draft` writes one draft (the weekly one, or one the owner asked for with `פוסט`) and
 *   sends it to the owners for approval; its key makes it once.
 */
import type { Agenda } from 'agenda';
import { TenantModel } from '../bot/db/models/index.ts';
import { dispatchWeeklyPostDrafts, draftPost } from '../bot/flows/posts/drafts.ts';
import { scheduleEvery } from '../bot/agenda.ts';
import { postOptions } from './catalog.ts';
import { defineJob } from './define.ts';

export const postDraftDueJob = defineJob('post-draft-due', async (_data, services) => {
  const queued = await dispatchWeeklyPostDrafts(services);
  if (queued > 0) services.logger.info({ queued }, 'weekly post drafts queued');
});

export const postDraftJob = defineJob('post-draft', async ({ tenantId, key, origin }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant || tenant.disabled) return;
  await draftPost(services, tenant, key, origin);
});

/** Starts the dispatcher (scheduled by name, so every worker may call it). */
export async function schedulePostDrafts(agenda: Agenda): Promise<void> {
  await scheduleEvery(agenda, postOptions.dispatchEvery, postDraftDueJob.name, { skipImmediate: false });
}
