/**
 * When may a business-initiated message go out? Outside the tenant's quiet hours (wall clock in its
 * time zone) and, where the tenant observes it, outside Shabbat and Yom Tov (§6). Pure functions
 * of an instant and a policy; the sender defers a message to `nextSendableTime`.
 */
import { instantAtWallClock, wallClock, type WallClock } from '../../lib/clock.ts';
import { HDate, Location, Zmanim, flags, getHolidaysOnDate, isAssurBemlacha } from '@hebcal/core';
import type { QuietHoursSetting } from '../durations.ts';

/** The tenant settings that decide when a message may be sent. */
export interface SendPolicy {
  /** IANA time zone of the tenant (default `Asia/Jerusalem`); quiet hours are read on its clock. */
  timezone: string;
  /** Wall-clock window with no sending (default `21:00-08:00`), or `'off'`. */
  quietHours: QuietHoursSetting;
  /** Hold messages from sunset on Erev Shabbat / Erev Yom Tov until tzeit (default true). */
  observeShabbat: boolean;
}

const ISRAEL_TIME_ZONE = 'Asia/Jerusalem';
const JERUSALEM = Location.lookup('Jerusalem')!;
const MINUTE_MS = 60_000;
// Quiet hours and Shabbat can each push the other (Shabbat ending inside quiet hours, quiet hours
// ending on Shabbat); a handful of rounds settles any real calendar.
const MAX_DEFERRAL_ROUNDS = 16;

/**
 * The earliest instant at or after `now` when a message may be sent: `now` itself when sending is
 * allowed, else the end of whichever rule holds it back, repeated until both rules allow it (a
 * message due Friday night waits for Shabbat to end and then, if that is inside quiet hours, for
 * quiet hours to end too).
 */
export function nextSendableTime(now: Date, policy: SendPolicy): Date {
  let candidate = now;
  for (let round = 0; round < MAX_DEFERRAL_ROUNDS; round++) {
    const afterShabbat = policy.observeShabbat ? endOfShabbatOrYomTov(candidate, policy.timezone) : candidate;
    const afterQuiet = endOfQuietTime(afterShabbat, policy);
    if (afterQuiet.getTime() === candidate.getTime()) return candidate;
    candidate = afterQuiet;
  }
  throw new Error(`No sendable time found after ${now.toISOString()} within ${MAX_DEFERRAL_ROUNDS} deferrals`);
}

/**
 * Whether `now` falls in the tenant's quiet hours, read on its wall clock. The window includes its
 * start minute and excludes its end minute; `21:00-08:00` spans midnight.
 */
export function isQuietTime(now: Date, policy: Pick<SendPolicy, 'timezone' | 'quietHours'>): boolean {
  if (policy.quietHours === 'off') return false;
  const minute = minuteOfDay(wallClock(now, policy.timezone));
  const start = parseClock(policy.quietHours.start);
  const end = parseClock(policy.quietHours.end);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * Whether `now` is inside Shabbat or a Yom Tov with a work prohibition: from sunset on the eve
 * until tzeit (8.5°) at the end, per @hebcal/core's `isAssurBemlacha`. Times and schedule are those
 * of `shabbatLocation(timezone)`: Jerusalem and the Israel schedule by default.
 */
export function isShabbatOrYomTov(now: Date, timezone: string = ISRAEL_TIME_ZONE): boolean {
  return isAssurBemlacha(now, shabbatLocation(timezone), false);
}

/**
 * Where Shabbat times are computed for a tenant time zone: Jerusalem for Israel (and for any zone
 * @hebcal/core has no city for); otherwise the Hebcal city the zone is named after (`Europe/London`
 * → London), with that city's own schedule, since a business abroad keeps the local Shabbat and
 * the local (two-day) Yom Tov.
 */
export function shabbatLocation(timezone: string): Location {
  if (timezone === ISRAEL_TIME_ZONE) return JERUSALEM;
  const cityName = timezone.split('/').at(-1)!.replaceAll('_', ' ');
  const city = Location.lookup(cityName);
  return city && city.getTzid() === timezone ? city : JERUSALEM;
}

/** `instant` itself when it is not Shabbat or Yom Tov, else the first whole minute after the block's tzeit. */
function endOfShabbatOrYomTov(instant: Date, timezone: string): Date {
  const location = shabbatLocation(timezone);
  if (!isAssurBemlacha(instant, location, false)) return instant;
  const israelSchedule = location.getIsrael();
  const isHolyDay = (day: HDate) =>
    day.getDay() === 6 || (getHolidaysOnDate(day, israelSchedule) ?? []).some((event) => event.getFlags() & flags.CHAG);
  const { year, month, day } = wallClock(instant, location.getTzid());
  // HDate reads a Date's local calendar fields; noon keeps them on the intended day.
  let lastHolyDay = new HDate(new Date(year, month - 1, day, 12));
  // Between sunset and midnight on the eve, today is not yet holy: the block starts tomorrow.
  if (!isHolyDay(lastHolyDay)) lastHolyDay = lastHolyDay.next();
  // Consecutive holy days are one block: Rosh Hashana I+II, Yom Tov next to Shabbat.
  while (isHolyDay(lastHolyDay.next())) lastHolyDay = lastHolyDay.next();
  const tzeit = new Zmanim(location, lastHolyDay, false).tzeit().getTime();
  return new Date(Math.floor(tzeit / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
}

/** `instant` itself outside quiet hours, else the next moment the tenant's clock shows the window's end. */
function endOfQuietTime(instant: Date, policy: SendPolicy): Date {
  if (policy.quietHours === 'off' || !isQuietTime(instant, policy)) return instant;
  const end = parseClock(policy.quietHours.end);
  const clock = wallClock(instant, policy.timezone);
  // Before the end minute today (the morning part of a window spanning midnight) it ends today.
  const daysAhead = minuteOfDay(clock) < end ? 0 : 1;
  const endDate = new Date(Date.UTC(clock.year, clock.month - 1, clock.day + daysAhead));
  return instantAtWallClock(
    {
      year: endDate.getUTCFullYear(),
      month: endDate.getUTCMonth() + 1,
      day: endDate.getUTCDate(),
      hour: Math.floor(end / 60),
      minute: end % 60,
    },
    policy.timezone,
  );
}

const minuteOfDay = (clock: WallClock): number => clock.hour * 60 + clock.minute;

function parseClock(hhmm: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  return hour * 60 + minute;
}
