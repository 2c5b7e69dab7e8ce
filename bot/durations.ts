/**
 * The written forms of tenant settings (§5): durations such as `2m`, `24h`, `3d` and quiet hours
 * such as `21:00-08:00` or `off`. `findo tenant set` parses them; `findo tenant show` formats them.
 */
import ms from 'ms';

/** A wall-clock window, `HH:MM` 24-hour, in the tenant's time zone; `end` before `start` spans midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

/** The `quietHours` setting: a window, or `'off'` to send at any hour. */
export type QuietHoursSetting = QuietHours | 'off';

/** Largest first, so the formatter picks the shortest exact form. */
const UNITS = [
  { suffix: 'd', ms: ms('1d') },
  { suffix: 'h', ms: ms('1h') },
  { suffix: 'm', ms: ms('1m') },
  { suffix: 's', ms: ms('1s') },
] as const;

// Deliberately stricter than `ms`, which also takes bare numbers (as milliseconds), negatives,
// fractions, `2M` and `2 minutes`: a setting is written exactly one way.
const DURATION_PATTERN = /^(\d+)([smhd])$/;
const DURATION_FORMS = 'a whole number followed by s, m, h or d (e.g. 90s, 2m, 24h, 3d)';

/**
 * Milliseconds for a duration written as a positive whole number and one unit: `90s`, `2m`,
 * `24h`, `3d`. Surrounding whitespace is ignored; anything else throws a RangeError naming the
 * accepted forms (bare numbers, negatives, zero, fractions and other units are refused).
 */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`Invalid duration "${text}": expected ${DURATION_FORMS}`);
  const [, amount, unit] = match;
  const value = ms(`${Number(amount)}${unit}` as ms.StringValue);
  if (value === 0) throw new RangeError(`Invalid duration "${text}": must be greater than zero`);
  if (!Number.isSafeInteger(value)) throw new RangeError(`Invalid duration "${text}": too long`);
  return value;
}

/**
 * The shortest exact written form of a duration: the largest unit that divides it, so
 * `90_000` → `90s`, `120_000` → `2m`, `129_600_000` → `36h`, `86_400_000` → `1d`.
 * Throws a RangeError for anything that is not a positive whole number of seconds.
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isSafeInteger(milliseconds) || milliseconds <= 0 || milliseconds % 1000 !== 0) {
    throw new RangeError(`Cannot write ${milliseconds} ms as a duration: expected a positive whole number of seconds`);
  }
  const unit = UNITS.find((candidate) => milliseconds % candidate.ms === 0)!;
  return `${milliseconds / unit.ms}${unit.suffix}`;
}

const QUIET_HOURS_PATTERN = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;
const QUIET_HOURS_FORMS = 'HH:MM-HH:MM (e.g. 21:00-08:00) or off';

/**
 * The `quietHours` setting from its written form: `21:00-08:00` (21:00 until 08:00 the next
 * morning) or `off`. Single-digit hours are accepted and padded (`9:00` → `09:00`). Throws a
 * RangeError for impossible times or an empty window (start equal to end).
 */
export function parseQuietHours(text: string): QuietHoursSetting {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'off') return 'off';
  const match = QUIET_HOURS_PATTERN.exec(trimmed);
  if (!match) throw new RangeError(`Invalid quiet hours "${text}": expected ${QUIET_HOURS_FORMS}`);
  const [, startHour, startMinute, endHour, endMinute] = match.map(Number);
  if ([startHour, endHour].some((hour) => hour > 23) || [startMinute, endMinute].some((minute) => minute > 59)) {
    throw new RangeError(`Invalid quiet hours "${text}": hours run 00-23 and minutes 00-59`);
  }
  const start = clockTime(startHour, startMinute);
  const end = clockTime(endHour, endMinute);
  if (start === end) throw new RangeError(`Invalid quiet hours "${text}": start and end are the same; use off to disable`);
  return { start, end };
}

/** The written form of a `quietHours` setting: `21:00-08:00` or `off`. */
export function formatQuietHours(quietHours: QuietHoursSetting): string {
  return quietHours === 'off' ? 'off' : `${quietHours.start}-${quietHours.end}`;
}

const clockTime = (hour: number, minute: number): string => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
