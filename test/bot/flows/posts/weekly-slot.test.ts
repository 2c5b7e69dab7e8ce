import { describe, expect, it } from 'vitest';
import { TenantModel } from '../../../../bot/db/models/index.ts';
import { dueWeeklySlot } from '../../../../bot/flows/posts/drafts.ts';

// Thursday 26 November 2026, 10:00 in Israel (UTC+2) is 08:00 UTC.
const THURSDAY_SLOT = '2026-11-26T08:00:00.000Z';
const tenant = (postDay: string, createdAt = new Date('2026-01-01T00:00:00Z')) =>
  Object.assign(new TenantModel({ name: 'Dani', slug: 'dani', timezone: 'Asia/Jerusalem', settings: { postDay } }), { createdAt });

describe('the weekly post slot', () => {
  it('is due from 10:00 local time on the post day, under one key all day', () => {
    expect(dueWeeklySlot(tenant('thu'), new Date('2026-11-26T07:59:00Z'))).toBeNull();
    expect(dueWeeklySlot(tenant('thu'), new Date('2026-11-26T08:00:00Z'))).toBe(`weekly:${THURSDAY_SLOT}`);
    expect(dueWeeklySlot(tenant('thu'), new Date('2026-11-26T21:30:00Z'))).toBe(`weekly:${THURSDAY_SLOT}`);
  });

  it('is not served once more than a day late, nor before the tenant existed, nor when off', () => {
    expect(dueWeeklySlot(tenant('thu'), new Date('2026-11-27T08:01:00Z'))).toBeNull();
    expect(dueWeeklySlot(tenant('thu', new Date('2026-11-26T09:00:00Z')), new Date('2026-11-26T12:00:00Z'))).toBeNull();
    expect(dueWeeklySlot(tenant('off'), new Date('2026-11-26T12:00:00Z'))).toBeNull();
  });

  it("follows the tenant's own day and zone", () => {
    const london = Object.assign(tenant('tue'), { timezone: 'Europe/London' });
    expect(dueWeeklySlot(london, new Date('2026-12-01T10:30:00Z'))).toBe('weekly:2026-12-01T10:00:00.000Z');
  });
});
