/** Which weekly photo-request slot a tenant is due for (the job runs every few minutes). */
import { describe, expect, it } from 'vitest';
import { TenantModel } from '../../../../bot/db/models/index.ts';
import { duePhotoRequestSlot } from '../../../../bot/flows/photos/request.ts';

// Tuesday 1 December 2026, 10:00 in Israel (UTC+2 in winter) is 08:00 UTC.
const TUESDAY_SLOT = new Date('2026-12-01T08:00:00Z');
const tenantWith = (fields: Record<string, unknown>) =>
  new TenantModel({ name: 'Dani', slug: 'dani', webhookKeyDigests: { voicenter: 'a', greeninvoice: 'b', icount: 'c' }, ...fields });
const created = { createdAt: new Date('2026-11-01T00:00:00Z') };

describe('the weekly photo request slot', () => {
  it('is due from Tuesday 10:00 local until it is served, for a day at most', () => {
    const tenant = tenantWith(created);
    expect(duePhotoRequestSlot(tenant, new Date('2026-12-01T07:59:00Z'))).toBeNull();
    expect(duePhotoRequestSlot(tenant, new Date('2026-12-01T08:00:00Z'))).toEqual(TUESDAY_SLOT);
    expect(duePhotoRequestSlot(tenant, new Date('2026-12-02T07:59:00Z'))).toEqual(TUESDAY_SLOT);
    expect(duePhotoRequestSlot(tenant, new Date('2026-12-02T08:01:00Z'))).toBeNull();
  });

  it('once served, not again; off, never; a slot from before the tenant existed, never', () => {
    const now = new Date('2026-12-01T09:00:00Z');
    expect(duePhotoRequestSlot(tenantWith({ ...created, photoRequestSlot: TUESDAY_SLOT }), now)).toBeNull();
    expect(duePhotoRequestSlot(tenantWith({ ...created, settings: { photoRequestDay: 'off' } }), now)).toBeNull();
    expect(duePhotoRequestSlot(tenantWith({ createdAt: new Date('2026-12-01T08:30:00Z') }), now)).toBeNull();
    // The next week's slot is due again.
    expect(duePhotoRequestSlot(tenantWith({ ...created, photoRequestSlot: TUESDAY_SLOT }), new Date('2026-12-08T08:05:00Z'))).toEqual(
      new Date('2026-12-08T08:00:00Z'),
    );
  });

  it('follows the tenant’s day and time zone', () => {
    const tenant = tenantWith({ ...created, timezone: 'America/New_York', settings: { photoRequestDay: 'sun' } });
    // Sunday 6 December 2026, 10:00 in New York (UTC−5) is 15:00 UTC.
    expect(duePhotoRequestSlot(tenant, new Date('2026-12-06T16:00:00Z'))).toEqual(new Date('2026-12-06T15:00:00Z'));
  });
});
