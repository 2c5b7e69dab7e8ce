/**
 * weekly-digest: Sunday 09:00 Israel time, every owner gets the week in numbers (flow F4).
 * Sends are keyed by the week, so a retried run never sends a digest twice.
 */
import { sendWeeklyDigests } from '../bot/flows/owner.ts';
import { defineJob } from './define.ts';

/** Cron: Sundays at 09:00, in `WEEKLY_DIGEST_TIMEZONE`. */
export const WEEKLY_DIGEST_SCHEDULE = '0 9 * * 0';
export const WEEKLY_DIGEST_TIMEZONE = 'Asia/Jerusalem';

export const weeklyDigestJob = defineJob('weekly-digest', async (_data, services) => {
  const tenants = await sendWeeklyDigests(services);
  services.logger.info({ tenants }, 'weekly digests sent');
});
