/**
 * photo-request: every few minutes, asks the owners of each tenant whose weekly photo slot
 * (`photoRequestDay` at 10:00 local) has come and was not yet served for fresh photos
 * (bot/flows/photos/request.ts). Keyed by the slot, so a retried or repeated run asks once.
 */
import { sendPhotoRequests } from '../bot/flows/photos/request.ts';
import { defineJob } from './define.ts';

/** Options read when the job is scheduled; tests shorten them. */
export const photoRequestOptions = {
  /** How often due tenants are looked for. Default every 5 minutes. */
  every: '5 minutes' as string | number,
};

export const photoRequestJob = defineJob('photo-request', async (_data, services) => {
  const asked = await sendPhotoRequests(services);
  if (asked > 0) services.logger.info({ tenants: asked }, 'photo requests sent');
});
