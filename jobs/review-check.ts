/**
 * The hourly Google review check (flow F3), in two jobs:
 *
 * - `review-check-due` runs every minute on whichever worker holds it and queues a
 *   `review-check` for each connected tenant whose `google.nextCheckAt` has come. Each tenant's
 *   time is its own minute of the hour (a stable offset from its id), or of a six-hour slot once it
 *   has had no new review for 30 days, so tenants spread out and quiet ones cost less quota.
 * - `review-check` checks one tenant (bot/flows/reviews/). One pending run per tenant. Quota
 *   (429) waits as long as Google asks, 5xx and network errors back off (jobs/retry.ts); a revoked
 *   grant disconnects the tenant and is not retried.
 */
import type { Agenda } from 'agenda';
import { scheduleEvery } from '../bot/agenda.ts';
import { TenantModel } from '../bot/db/models/index.ts';
import { nextCheckAt } from '../bot/flows/reviews/cadence.ts';
import { checkReviews } from '../bot/flows/reviews/sync.ts';
import { isIntegrationError } from '../integrations/errors.ts';
import { reviewCheckOptions } from './catalog.ts';
import { defineJob } from './define.ts';

export const reviewCheckJob = defineJob('review-check', async ({ tenantId }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant || tenant.disabled || !tenant.google?.locationName) return;
  try {
    const summary = await checkReviews(services, tenant);
    services.logger.info({ ...summary }, 'reviews checked');
  } catch (error) {
    // Permanent (not connected, revoked, location gone): recorded by the check; retrying cannot help.
    if (isIntegrationError(error) && error.kind === 'permanent') {
      services.logger.warn({ tenantId, code: error.details.code, err: error.message }, 'review check stopped');
      return;
    }
    throw error;
  }
});

export const reviewCheckDueJob = defineJob('review-check-due', async (_data, services) => {
  const now = new Date();
  const due = await TenantModel.find({
    disabled: { $ne: true },
    'google.connected': true,
    'google.locationName': { $exists: true, $ne: null },
    $or: [{ 'google.nextCheckAt': { $lte: now } }, { 'google.nextCheckAt': null }],
  }).limit(500);
  for (const tenant of due) {
    // Moved on first, so a slow check is not queued again every minute; the check sets it again.
    await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.nextCheckAt': nextCheckAt(tenant.id, now, false) } });
    await services.enqueue('review-check', { tenantId: tenant.id });
  }
});

/** Starts the per-minute dispatcher (scheduled by name, so every worker may call it). */
export async function scheduleReviewChecks(agenda: Agenda): Promise<void> {
  await scheduleEvery(agenda, reviewCheckOptions.dispatchEvery, reviewCheckDueJob.name, { skipImmediate: false });
}
