/**
 * When each tenant's Google reviews are checked: hourly at the tenant's own minute, or every six
 * hours at its own slot once it has had no new review (and asked nobody for one) for 30 days, so a
 * thousand tenants never all call Google at once and quiet ones cost less quota.
 */
import { createHash } from 'node:crypto';
import { ReviewRequestModel, TenantModel, type Tenant } from '../../db/models/index.ts';

/** A tenant with no new review for this long is checked less often. */
export const INACTIVE_AFTER_MS = 30 * 24 * 3_600_000;
/** How often an active tenant is checked. */
export const ACTIVE_CHECK_INTERVAL_MS = 3_600_000;
/** How often an inactive tenant is checked. */
export const INACTIVE_CHECK_INTERVAL_MS = 6 * 3_600_000;
/**
 * On a tenant's first check, only reviews changed this recently get a reply or a draft; older ones
 * are mirrored as history (an owner who connects Google does not want 200 drafts at once).
 */
export const BACKFILL_WINDOW_MS = 14 * 24 * 3_600_000;

/** A stable offset within `periodMs` derived from the tenant id, so tenants spread across the period. */
export function checkOffsetMs(tenantId: string, periodMs: number): number {
  const digest = createHash('sha256').update(tenantId).digest();
  return digest.readUIntBE(0, 6) % periodMs;
}

/** Whether a tenant has had no new review (and asked nobody for one) for 30 days. */
export function isInactive(lastActivityAt: Date | null | undefined, now = new Date()): boolean {
  return !lastActivityAt || now.getTime() - lastActivityAt.getTime() > INACTIVE_AFTER_MS;
}

/**
 * The tenant's next check strictly after `now`: at its own minute of the hour (active) or of its
 * six-hour slot (inactive), so a thousand tenants never all call Google at :00.
 */
export function nextCheckAt(tenantId: string, now: Date, inactive: boolean): Date {
  const period = inactive ? INACTIVE_CHECK_INTERVAL_MS : ACTIVE_CHECK_INTERVAL_MS;
  const offset = checkOffsetMs(tenantId, period);
  const slot = Math.floor((now.getTime() - offset) / period) * period + offset;
  return new Date(slot + period);
}

/** The tenant's next check time, from its last new review and its recent review requests. */
export async function scheduleNextCheck(tenant: Tenant, now = new Date()): Promise<Date> {
  const fresh = await TenantModel.findById(tenant._id, { google: 1 });
  let lastActivity = fresh?.google?.lastNewReviewAt ?? null;
  if (isInactive(lastActivity, now)) {
    // Someone was asked for a review lately: one may come any hour now.
    const asked = await ReviewRequestModel.findOne({ tenantId: tenant.id, sentAt: { $gt: new Date(now.getTime() - INACTIVE_AFTER_MS) } }, { sentAt: 1 });
    lastActivity = asked?.sentAt ?? lastActivity;
  }
  const at = nextCheckAt(tenant.id, now, isInactive(lastActivity, now));
  await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.nextCheckAt': at } });
  return at;
}

