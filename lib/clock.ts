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
