/**
 * photo-batch-timer: the two waits of a batch of owner photos. `window`: the batch closes when no
 * photo came for the window (a timer set before a later photo names an older count and is
 * ignored by the machine); `category`: the owner did not answer the category question, so the
 * photos go up as ADDITIONAL.
 */
import { TenantModel } from '../bot/db/models/index.ts';
import { applyPhotoBatchEvent } from '../bot/flows/photos/batch.ts';
import { defineJob } from './define.ts';

export const photoBatchTimerJob = defineJob('photo-batch-timer', async ({ tenantId, conversationRef, timer, photoCount }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant) return;
  const event = timer === 'window' ? { type: 'WINDOW_CLOSED' as const, photoCount } : { type: 'CATEGORY_TIMEOUT' as const };
  await applyPhotoBatchEvent(services, tenant, conversationRef, event, `${timer}:${photoCount}`);
});
