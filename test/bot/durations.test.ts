import { describe, expect, it } from 'vitest';
import { formatDuration, formatQuietHours, parseDuration, parseQuietHours } from '../../bot/durations.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['1s', SECOND],
    ['90s', 90 * SECOND],
    ['2m', 2 * MINUTE],
    ['24h', 24 * HOUR],
    ['3d', 3 * DAY],
    ['90d', 90 * DAY],
    [' 2m ', 2 * MINUTE],
  ])('reads %j as %i ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', '100', '-2m', '0s', '0d', '1.5h', '2 m', '2M', '2 minutes', '2w', 'm', 'soon', '2m30s'])(
    'refuses %j with an error naming the accepted forms',
    (text) => {
      expect(() => parseDuration(text)).toThrow(/Invalid duration/);
    },
  );

  it('explains that zero is refused', () => {
    expect(() => parseDuration('0m')).toThrow(/greater than zero/);
  });

  it('refuses a duration too long to count in milliseconds exactly', () => {
    expect(() => parseDuration('999999999999999d')).toThrow(/too long/);
  });
});

describe('formatDuration', () => {
  it.each([
    [SECOND, '1s'],
    [90 * SECOND, '90s'],
    [2 * MINUTE, '2m'],
    [36 * HOUR, '36h'],
    [DAY, '1d'],
    [3 * DAY, '3d'],
    [90 * DAY, '90d'],
  ])('writes %i ms as %j', (milliseconds, expected) => {
    expect(formatDuration(milliseconds)).toBe(expected);
  });

  it('round-trips every written form it produces', () => {
    for (const text of ['1s', '90s', '2m', '36h', '3d']) expect(formatDuration(parseDuration(text))).toBe(text);
  });

  it('writes 24h as its shortest exact form, 1d', () => {
    expect(formatDuration(parseDuration('24h'))).toBe('1d');
  });

  it.each([0, -MINUTE, 1500, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d ms', (milliseconds) => {
    expect(() => formatDuration(milliseconds)).toThrow(RangeError);
  });
});

describe('parseQuietHours', () => {
  it('reads a window that spans midnight', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual({ start: '21:00', end: '08:00' });
  });

  it('reads a same-day window, padding single-digit hours and allowing spaces around the dash', () => {
    expect(parseQuietHours('9:30 - 13:00')).toEqual({ start: '09:30', end: '13:00' });
  });

  it.each(['off', 'OFF', ' Off '])('reads %j as off', (text) => {
    expect(parseQuietHours(text)).toBe('off');
  });

  it.each(['', '21-08', '21:00', '21:00-', '24:00-08:00', '21:60-08:00', '21:00-08:00-09:00', 'on', '21:00–08:00x'])(
    'refuses %j',
    (text) => {
      expect(() => parseQuietHours(text)).toThrow(/Invalid quiet hours/);
    },
  );

  it('refuses an empty window and points to off', () => {
    expect(() => parseQuietHours('08:00-08:00')).toThrow(/use off/);
  });
});

describe('formatQuietHours', () => {
  it('writes a window and off in the form parseQuietHours reads', () => {
    expect(formatQuietHours({ start: '21:00', end: '08:00' })).toBe('21:00-08:00');
    expect(formatQuietHours('off')).toBe('off');
    expect(parseQuietHours(formatQuietHours(parseQuietHours('21:00-08:00')))).toEqual({ start: '21:00', end: '08:00' });
  });
});
