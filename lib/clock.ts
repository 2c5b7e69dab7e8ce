/**
 * Wall-clock time in a time zone, computed with Intl (DST-correct, independent of the machine's
 * own zone). Shared by the send policy (quiet hours, Shabbat) and the providers' local timestamps.
 */

/** Calendar date and time of day as a clock in some time zone shows them (month 1-12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone "${timezone}"`);
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function wallClock(instant: Date, timezone: string): WallClock & { second: number } {
  const parts = Object.fromEntries(
    formatterFor(timezone)
      .formatToParts(instant)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  );
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** How far the zone's clock is ahead of UTC at `epochMs`, in milliseconds. */
export function utcOffsetMs(epochMs: number, timezone: string): number {
  const clock = wallClock(new Date(epochMs), timezone);
  const asIfUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return asIfUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a zone's clock shows `clock`. A time skipped by a DST jump resolves to the same
 * distance past the jump (02:30 on a spring-forward night → 03:30); a repeated hour picks one of
 * its two instants.
 */
export function instantAtWallClock(clock: WallClock, timezone: string): Date {
  const asIfUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  const firstGuess = utcOffsetMs(asIfUtc, timezone);
  const secondGuess = utcOffsetMs(asIfUtc - firstGuess, timezone);
  if (firstGuess === secondGuess) return new Date(asIfUtc - firstGuess);
  const thirdGuess = utcOffsetMs(asIfUtc - secondGuess, timezone);
  if (secondGuess === thirdGuess) return new Date(asIfUtc - secondGuess);
  return new Date(asIfUtc - Math.min(secondGuess, thirdGuess));
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The latest instant, at or before `now`, at which the zone's clock showed `day` at `hour`:00: the
 * slot of a weekly task ("Tuesdays at 10:00"). A job that runs every few minutes compares it with the
 * slot it last served, so each slot is served once, late rather than never after downtime.
 */
export function lastWeeklySlot(now: Date, timezone: string, day: Weekday, hour: number): Date {
  const today = wallClock(now, timezone);
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  const weekdayToday = new Date(todayUtc).getUTCDay();
  let daysBack = (weekdayToday - WEEKDAYS.indexOf(day) + 7) % 7;
  if (daysBack === 0 && today.hour < hour) daysBack = 7;
  const date = new Date(todayUtc - daysBack * 86_400_000);
  return instantAtWallClock(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute: 0 },
    timezone,
  );
}

/** How late a weekly slot may still be served (after downtime); an older one waits for next week. */
const WEEKLY_SLOT_GRACE_MS = 24 * 3_600_000;

/**
 * The weekly slot due at `now` for a task on `day` at `hour`:00 local time, or null: the task is
 * `off`, the slot is over a day old, or it came before `since` (the tenant did not exist yet).
 * Whether it was already served is the caller's record.
 */
export function weeklySlotDue(now: Date, task: { timezone: string; day: Weekday | 'off'; hour: number; since?: Date | null }): Date | null {
  if (task.day === 'off') return null;
  const slot = lastWeeklySlot(now, task.timezone, task.day, task.hour);
  if (now.getTime() - slot.getTime() > WEEKLY_SLOT_GRACE_MS) return null;
  if (task.since && slot.getTime() < task.since.getTime()) return null;
  return slot;
}
