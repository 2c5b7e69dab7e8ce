/**
 * The hourly Google review check (flow F3), in two jobs:
 *
 * - `review-check-due` runs every minute on whichever worker holds it and queues a
 *   `review-check` for each connected tenant whose `google.nextCheckAt` has come. Each tenant's
 *   time is its own minute of the hour (a stable offset from its id), or of a six-hour slot once it
 *   has had no new review for 30 days, so tenants spread out and quiet ones cost less quota.
 * - `review-check` checks one tenant (bot/flows/reviews.ts). One pending run per tenant. Quota
 *   (429) waits as long as Google asks, 5xx and network errors back off; a revoked grant
 *   disconnects the tenant and is not retried.
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { TenantModel } from '../bot/db/models/index.ts';
import { checkReviews, nextCheckAt } from '../bot/flows/reviews.ts';
import { googleBackoff, type GoogleBackoffOptions } from '../bot/google-clients.ts';
import { isIntegrationError } from '../integrations/errors.ts';
import { defineJob, enqueue } from './define.ts';

/** Options read when the jobs run; tests shorten them. */
export const reviewCheckOptions: { dispatchEvery: string | number; retry: GoogleBackoffOptions } = {
  /** How often due tenants are looked for. Default every minute. */
  dispatchEvery: '1 minute',
  /** Retries of a failed check: 30 s doubling up to 30 min, 8 times (then the next hourly run). */
  retry: { delayMs: 30_000, maxDelayMs: 30 * 60_000, maxRetries: 8 },
};

export const reviewCheckJob = defineJob({
  name: 'review-check',
  schema: z.object({ tenantId: z.string() }),
  concurrency: 5,
  backoff: (context) => googleBackoff(reviewCheckOptions.retry)(context),
  async handler({ tenantId }, services) {
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
  },
});

export const reviewCheckDueJob = defineJob({
  name: 'review-check-due',
  schema: z.object({}).passthrough(),
  concurrency: 1,
  async handler(_data, services) {
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
      await enqueueReviewCheck(services.agenda, tenant.id);
    }
  },
});

/** Queues a check of one tenant now; a run already pending for the tenant absorbs it. */
export async function enqueueReviewCheck(agenda: Agenda, tenantId: string): Promise<void> {
  await enqueue(agenda, reviewCheckJob, { tenantId }, {
    uniqueBy: { name: reviewCheckJob.name, 'data.tenantId': tenantId, nextRunAt: { $ne: null } },
  });
}

/** Starts the per-minute dispatcher (upserted by name, so every worker may call it). */
export async function scheduleReviewChecks(agenda: Agenda): Promise<void> {
  await agenda.every(reviewCheckOptions.dispatchEvery, reviewCheckDueJob.name, {}, { skipImmediate: false });
}

