/**
 * The weekly request for fresh photos (flow F4), end to end: the real `photo-request` job, run
 * every second here, asks a tenant's owners on its `photoRequestDay` at 10:00 local time, once per
 * slot, through the owner-alert path (the `findo_owner_alert` template, since the owner has not
 * written in the last 24 hours); a tenant with `off` is never asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { createTenant } from '../../bot/tenants.ts';
import { t } from '../../bot/texts/index.ts';
import { wallClock, WEEKDAYS } from '../../lib/clock.ts';
import { photoRequestOptions } from '../../jobs/photo-request.ts';
import { wordsOf } from '../bot/flows/reviews-support.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNER = '+972547654321';
const OFF_OWNER = '+972547654322';

/** A fixed-offset zone where it is now between 11:00 and 22:59, so today's 10:00 slot is hours old, and its weekday. */
function zoneAfterTenToday(now = new Date()) {
  for (let offset = -12; offset <= 14; offset++) {
    // Etc/GMT zones are named with the sign reversed: Etc/GMT-3 is UTC+3.
    const timezone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const clock = wallClock(now, timezone);
    if (clock.hour >= 11 && clock.hour <= 22) {
      const weekday = WEEKDAYS[new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay()]!;
      return { timezone, weekday };
    }
  }
  throw new Error('no zone found');
}

describe('the weekly photo request', () => {
  let h: Harness;
  let tenant: Tenant;

  /** Puts a tenant on today's slot in that zone, and makes it two days old (a slot before a tenant existed is not served). */
  async function dueToday(target: Tenant, photoRequestDay: string) {
    const { timezone } = zoneAfterTenToday();
    // Through the driver: mongoose keeps `createdAt` immutable.
    await TenantModel.collection.updateOne(
      { _id: target._id },
      { $set: { timezone, 'settings.photoRequestDay': photoRequestDay, createdAt: new Date(Date.now() - 2 * 86_400_000) } },
    );
  }

  beforeAll(async () => {
    photoRequestOptions.every = '1 second';
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant({ ownerPhones: [OWNER] }));
  });
  afterAll(() => h?.stop());

  it('goes out on its day at 10:00 local time, once, as the owner-alert template; never to a tenant that turned it off', async () => {
    const { weekday } = zoneAfterTenToday();
    const { tenant: off } = await createTenant(
      { name: 'Noa Clinic', ownerPhones: [OFF_OWNER], whatsappNumberId: '106540352249999', language: 'he' },
      h.findo.services.vault,
    );
    await dueToday(off, 'off');
    await dueToday(tenant, weekday);

    const request = await h.whatsapp.waitForSent((m) => m.to === OWNER, 20_000);
    expect(request.template?.name).toBe('findo_owner_alert');
    expect(wordsOf(request)).toContain(t('he', 'photos.request').split('\n')[0]!);
    const served = await eventually(async () => (await TenantModel.findById(tenant._id))?.photoRequestSlot, 5_000, 'the slot recorded');
    expect(wallClock(served, zoneAfterTenToday().timezone)).toMatchObject({ hour: 10, minute: 0 });

    // Several more runs of the job: nothing more, and nothing for the tenant that turned it off.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(h.whatsapp.sent.filter((m) => m.to === OWNER)).toHaveLength(1);
    expect(h.whatsapp.sent.filter((m) => m.to === OFF_OWNER)).toHaveLength(0);
  }, 60_000);

  it('a day that is not today, or a slot older than a day, asks nothing', async () => {
    const { weekday } = zoneAfterTenToday();
    const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
    const tomorrow = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 1) % 7]!;
    await TenantModel.updateOne({ _id: tenant._id }, { $unset: { photoRequestSlot: 1 } });
    const sentBefore = h.whatsapp.sent.length;
    await dueToday(tenant, yesterday);
    await new Promise((r) => setTimeout(r, 2_500));
    await dueToday(tenant, tomorrow);
    await new Promise((r) => setTimeout(r, 2_500));
    // Yesterday's slot is over 24 hours old at 11:00 or later; tomorrow's has not come.
    expect(h.whatsapp.sent.length).toBe(sentBefore);
  }, 30_000);
});
