import { afterEach, describe, expect, it } from 'vitest';
import { isQuietTime, isShabbatOrYomTov, nextSendableTime, shabbatLocation, type SendPolicy } from '../../../bot/outbound/schedule.ts';

/** The §5 defaults for an Israeli tenant. */
const ISRAEL: SendPolicy = {
  timezone: 'Asia/Jerusalem',
  quietHours: { start: '21:00', end: '08:00' },
  observeShabbat: true,
};

// Israel is UTC+2 in winter (IST) and UTC+3 in summer (IDT); every instant below names its offset.
const at = (isoWithOffset: string) => new Date(isoWithOffset);

describe('nextSendableTime for an Israeli tenant', () => {
  it('sends now on a Friday at noon', () => {
    const now = at('2026-11-27T12:00:00+02:00');
    expect(nextSendableTime(now, ISRAEL)).toBe(now);
  });

  it('defers a Friday message after sunset to the first minute after tzeit on Saturday', () => {
    expect(nextSendableTime(at('2026-11-27T16:40:00+02:00'), ISRAEL)).toEqual(at('2026-11-28T17:15:00+02:00'));
  });

  it('defers a Friday night message inside quiet hours to the end of Shabbat, not to 08:00 Saturday', () => {
    expect(nextSendableTime(at('2026-11-27T21:30:00+02:00'), ISRAEL)).toEqual(at('2026-11-28T17:15:00+02:00'));
  });

  it('defers a Thursday 23:00 message to Friday 08:00', () => {
    expect(nextSendableTime(at('2026-11-26T23:00:00+02:00'), ISRAEL)).toEqual(at('2026-11-27T08:00:00+02:00'));
  });

  it('defers an early-morning message to 08:00 the same day', () => {
    expect(nextSendableTime(at('2026-11-25T06:59:00+02:00'), ISRAEL)).toEqual(at('2026-11-25T08:00:00+02:00'));
  });

  it('sends at once with quiet hours off and Shabbat not observed', () => {
    const policy: SendPolicy = { ...ISRAEL, quietHours: 'off', observeShabbat: false };
    for (const iso of ['2026-11-27T21:30:00+02:00', '2026-11-28T12:00:00+02:00', '2026-11-26T03:00:00+02:00']) {
      const now = at(iso);
      expect(nextSendableTime(now, policy)).toBe(now);
    }
  });

  it('ignores Shabbat when the tenant does not observe it, but keeps quiet hours', () => {
    const policy: SendPolicy = { ...ISRAEL, observeShabbat: false };
    const saturdayNoon = at('2026-11-28T12:00:00+02:00');
    expect(nextSendableTime(saturdayNoon, policy)).toBe(saturdayNoon);
    expect(nextSendableTime(at('2026-11-27T21:30:00+02:00'), policy)).toEqual(at('2026-11-28T08:00:00+02:00'));
  });

  it('treats Rosh Hashana on Shabbat and Sunday as one block, from Friday evening to Sunday after tzeit', () => {
    expect(nextSendableTime(at('2026-09-11T20:00:00+03:00'), ISRAEL)).toEqual(at('2026-09-13T19:25:00+03:00'));
  });

  it('holds a message through Yom Kippur until after tzeit', () => {
    expect(nextSendableTime(at('2026-09-21T15:00:00+03:00'), ISRAEL)).toEqual(at('2026-09-21T19:14:00+03:00'));
  });

  it('keeps one day of Yom Tov, as in Israel (Pesach 2027)', () => {
    expect(nextSendableTime(at('2027-04-22T12:00:00+03:00'), ISRAEL)).toEqual(at('2027-04-22T19:51:00+03:00'));
  });

  it('when summer Shabbat ends inside quiet hours, waits for quiet hours to end as well', () => {
    const policy: SendPolicy = { ...ISRAEL, quietHours: { start: '20:00', end: '08:00' } };
    // Shabbat 4 July 2026 ends about 20:40, after quiet hours have begun.
    expect(nextSendableTime(at('2026-07-03T20:30:00+03:00'), policy)).toEqual(at('2026-07-05T08:00:00+03:00'));
  });

  it('when quiet hours end during Shabbat, waits for Shabbat and then for quiet hours again', () => {
    const policy: SendPolicy = { ...ISRAEL, quietHours: { start: '16:00', end: '18:00' } };
    // Quiet until Friday 18:00 → Shabbat until Saturday 17:15 → quiet again until Saturday 18:00.
    expect(nextSendableTime(at('2026-11-27T16:10:00+02:00'), policy)).toEqual(at('2026-11-28T18:00:00+02:00'));
  });

  it('ends quiet hours at 08:00 local time across the switch to summer time', () => {
    // Israel moves to IDT on Friday 27 March 2026: the night starts at UTC+2 and ends at UTC+3.
    expect(nextSendableTime(at('2026-03-26T23:00:00+02:00'), ISRAEL)).toEqual(at('2026-03-27T08:00:00+03:00'));
  });

  it('always answers an instant that is itself sendable and never earlier than now', () => {
    const start = at('2026-01-01T00:00:00+02:00').getTime();
    const step = 97 * 60_000; // not a divisor of a day, so every time of day is visited
    for (let time = start; time < start + 366 * 86_400_000; time += step) {
      const now = new Date(time);
      const sendable = nextSendableTime(now, ISRAEL);
      expect(sendable.getTime()).toBeGreaterThanOrEqual(time);
      expect(isQuietTime(sendable, ISRAEL)).toBe(false);
      expect(isShabbatOrYomTov(sendable)).toBe(false);
    }
  });
});

describe('nextSendableTime for a tenant outside Israel', () => {
  const NEW_YORK: SendPolicy = {
    timezone: 'America/New_York',
    quietHours: { start: '21:00', end: '08:00' },
    observeShabbat: false,
  };

  it('reads quiet hours on the tenant’s own clock', () => {
    expect(nextSendableTime(at('2026-11-24T22:00:00-05:00'), NEW_YORK)).toEqual(at('2026-11-25T08:00:00-05:00'));
    const eveningInNewYork = at('2026-11-24T20:00:00-05:00'); // 03:00 in Israel, quiet there
    expect(nextSendableTime(eveningInNewYork, NEW_YORK)).toBe(eveningInNewYork);
  });

  it('ends quiet hours at 08:00 local time on the night clocks spring forward', () => {
    // US daylight saving starts Sunday 8 March 2026: 08:00 that morning is EDT (UTC-4).
    expect(nextSendableTime(at('2026-03-07T23:00:00-05:00'), NEW_YORK)).toEqual(at('2026-03-08T08:00:00-04:00'));
  });

  it('ends quiet hours at 08:00 local time on the night clocks fall back', () => {
    expect(nextSendableTime(at('2026-10-31T23:00:00-04:00'), NEW_YORK)).toEqual(at('2026-11-01T08:00:00-05:00'));
  });

  it('observes Shabbat and the two-day Yom Tov by the local city’s times', () => {
    const policy: SendPolicy = { ...NEW_YORK, observeShabbat: true };
    expect(nextSendableTime(at('2026-11-27T16:40:00-05:00'), policy)).toEqual(at('2026-11-28T17:15:00-05:00'));
    // Shemini Atzeret (Shabbat) and Simchat Torah (Sunday) are one block outside Israel.
    expect(nextSendableTime(at('2026-10-03T12:00:00-04:00'), policy)).toEqual(at('2026-10-04T19:14:00-04:00'));
  });

  it('ends quiet hours at the time a skipped local time would have had, on a spring-forward night', () => {
    const policy: SendPolicy = { ...NEW_YORK, quietHours: { start: '23:00', end: '02:30' } };
    // 02:30 does not exist on 8 March 2026 in New York; the clock jumps from 02:00 EST to 03:00 EDT.
    expect(nextSendableTime(at('2026-03-08T00:00:00-05:00'), policy)).toEqual(at('2026-03-08T03:30:00-04:00'));
  });
});

describe('isQuietTime', () => {
  const policy = { timezone: 'Asia/Jerusalem', quietHours: { start: '21:00', end: '08:00' } } as const;

  it('includes the start minute and excludes the end minute of a window spanning midnight', () => {
    expect(isQuietTime(at('2026-11-25T20:59:59+02:00'), policy)).toBe(false);
    expect(isQuietTime(at('2026-11-25T21:00:00+02:00'), policy)).toBe(true);
    expect(isQuietTime(at('2026-11-26T00:30:00+02:00'), policy)).toBe(true);
    expect(isQuietTime(at('2026-11-26T07:59:00+02:00'), policy)).toBe(true);
    expect(isQuietTime(at('2026-11-26T08:00:00+02:00'), policy)).toBe(false);
  });

  it('handles a window within one day', () => {
    const lunch = { timezone: 'Asia/Jerusalem', quietHours: { start: '13:00', end: '14:30' } } as const;
    expect(isQuietTime(at('2026-11-25T12:59:00+02:00'), lunch)).toBe(false);
    expect(isQuietTime(at('2026-11-25T13:45:00+02:00'), lunch)).toBe(true);
    expect(isQuietTime(at('2026-11-25T14:30:00+02:00'), lunch)).toBe(false);
    expect(isQuietTime(at('2026-11-25T23:00:00+02:00'), lunch)).toBe(false);
  });

  it('is never quiet when quiet hours are off', () => {
    expect(isQuietTime(at('2026-11-26T03:00:00+02:00'), { timezone: 'Asia/Jerusalem', quietHours: 'off' })).toBe(false);
  });

  it('names an unknown time zone', () => {
    expect(() => isQuietTime(new Date(), { timezone: 'Mars/Olympus', quietHours: policy.quietHours })).toThrow(
      /Unknown time zone "Mars\/Olympus"/,
    );
  });
});

describe('isShabbatOrYomTov', () => {
  it('starts at sunset on Friday and ends at tzeit on Saturday, in Jerusalem', () => {
    expect(isShabbatOrYomTov(at('2026-11-27T16:20:00+02:00'))).toBe(false);
    expect(isShabbatOrYomTov(at('2026-11-27T16:40:00+02:00'))).toBe(true);
    expect(isShabbatOrYomTov(at('2026-11-28T12:00:00+02:00'))).toBe(true);
    expect(isShabbatOrYomTov(at('2026-11-28T17:15:00+02:00'))).toBe(false);
  });

  it('is false on Chol HaMoed', () => {
    expect(isShabbatOrYomTov(at('2026-09-29T12:00:00+03:00'))).toBe(false);
  });
});

describe('shabbatLocation', () => {
  it('uses Jerusalem and the Israel schedule for an Israeli tenant', () => {
    const location = shabbatLocation('Asia/Jerusalem');
    expect(location.getName()).toBe('Jerusalem');
    expect(location.getIsrael()).toBe(true);
  });

  it('uses the city a time zone is named after, with its local schedule', () => {
    const london = shabbatLocation('Europe/London');
    expect(london.getName()).toBe('London');
    expect(london.getIsrael()).toBe(false);
  });

  it('falls back to Jerusalem when no Hebcal city matches the time zone', () => {
    expect(shabbatLocation('Europe/Rome').getName()).toBe('Jerusalem');
  });
});

describe('independence from the server’s own time zone', () => {
  const serverTimeZone = process.env.TZ;
  afterEach(() => {
    if (serverTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = serverTimeZone;
  });

  it.each(['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])('gives the same answers on a server in %s', (timezone) => {
    process.env.TZ = timezone;
    expect(nextSendableTime(at('2026-11-27T16:40:00+02:00'), ISRAEL)).toEqual(at('2026-11-28T17:15:00+02:00'));
    expect(nextSendableTime(at('2026-09-11T20:00:00+03:00'), ISRAEL)).toEqual(at('2026-09-13T19:25:00+03:00'));
    expect(nextSendableTime(at('2026-11-26T23:00:00+02:00'), ISRAEL)).toEqual(at('2026-11-27T08:00:00+02:00'));
  });
});
