/**
 * The weekly request for fresh photos (flow F4): each tenant's owners are asked on the tenant's
 * `photoRequestDay` at 10:00 local time (`off`: never), through the owner alerts (a template when
 * an owner's 24-hour window is closed). The job that calls this runs every few minutes; each slot
 * is served once (the alert is keyed by it, and the tenant records it), late rather than never
 * after downtime, but never a slot over a day old or from before the tenant existed.
 */
import { TenantModel, type Tenant } from '../../db/models/index.ts';
import { alertOwners, textAlert } from '../../outbound/owner-alerts.ts';
import type { Services } from '../../services.ts';
import { t } from '../../texts/index.ts';
import { weeklySlotDue } from '../../../lib/clock.ts';

/** The local hour of the request. */
export const PHOTO_REQUEST_HOUR = 10;

/** The slot a tenant is due for now, or null (off, served, too old, or before the tenant existed). */
export function duePhotoRequestSlot(tenant: Tenant, now: Date): Date | null {
  const slot = weeklySlotDue(now, {
    timezone: tenant.timezone,
    day: tenant.settings.photoRequestDay,
    hour: PHOTO_REQUEST_HOUR,
    since: tenant.createdAt,
  });
  if (!slot || (tenant.photoRequestSlot && tenant.photoRequestSlot >= slot)) return null;
  return slot;
}

/** Sends every due tenant's request; returns how many tenants were asked. */
export async function sendPhotoRequests(services: Services, now = new Date()): Promise<number> {
  const tenants = await TenantModel.find({ disabled: { $ne: true }, 'settings.photoRequestDay': { $ne: 'off' } });
  let asked = 0;
  for (const tenant of tenants) {
    const slot = duePhotoRequestSlot(tenant, now);
    if (!slot) continue;
    // Sent before the slot is recorded: a crash in between repeats the keyed alert, which sends nothing twice.
    await alertOwners(services, tenant, textAlert(`photo-request:${slot.toISOString()}`, t(tenant.language, 'photos.request')), {
      audience: 'all',
    });
    await TenantModel.updateOne({ _id: tenant._id }, { $set: { photoRequestSlot: slot } });
    asked += 1;
  }
  return asked;
}
