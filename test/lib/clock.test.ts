/** The slot of a weekly task on the tenant's own clock. */
import { describe, expect, it } from 'vitest';
import { lastWeeklySlot, weeklySlotDue } from '../../lib/clock.ts';

const ISRAEL = 'Asia/Jerusalem';

describe('lastWeeklySlot', () => {
  it('is today at 10:00 once the clock passed it', () => {
    // Tuesday 1 December 2026, 10:30 in Israel (UTC+2).
    expect(lastWeeklySlot(new Date('2026-12-01T08:30:00Z'), ISRAEL, 'tue', 10).toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });

  it('is last week’s before 10:00 on the day', () => {
    expect(lastWeeklySlot(new Date('2026-12-01T07:59:00Z'), ISRAEL, 'tue', 10).toISOString()).toBe('2026-11-24T08:00:00.000Z');
  });

  it('looks back to the latest such weekday', () => {
    // Wednesday 2 December 2026 → Thursday 26 November.
    expect(lastWeeklySlot(new Date('2026-12-02T12:00:00Z'), ISRAEL, 'thu', 10).toISOString()).toBe('2026-11-26T08:00:00.000Z');
  });

  it('reads the weekday on the zone’s clock, not UTC’s', () => {
    // Monday 23:30 UTC is already Tuesday 01:30 in Israel: Tuesday's 10:00 has not come yet.
    expect(lastWeeklySlot(new Date('2026-11-30T23:30:00Z'), ISRAEL, 'tue', 10).toISOString()).toBe('2026-11-24T08:00:00.000Z');
  });

  it('keeps 10:00 local across a DST change (summer time, UTC+3)', () => {
    expect(lastWeeklySlot(new Date('2026-06-02T09:00:00Z'), ISRAEL, 'tue', 10).toISOString()).toBe('2026-06-02T07:00:00.000Z');
  });
});

describe('weeklySlotDue', () => {
  const task = { timezone: ISRAEL, day: 'tue' as const, hour: 10 };

  it('is the slot for a day after it, then nothing until next week', () => {
    expect(weeklySlotDue(new Date('2026-12-02T07:59:00Z'), task)?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(weeklySlotDue(new Date('2026-12-02T08:01:00Z'), task)).toBeNull();
  });

  it('is nothing when off, or for a slot before `since`', () => {
    expect(weeklySlotDue(new Date('2026-12-01T09:00:00Z'), { ...task, day: 'off' })).toBeNull();
    expect(weeklySlotDue(new Date('2026-12-01T09:00:00Z'), { ...task, since: new Date('2026-12-01T08:30:00Z') })).toBeNull();
  });
});
