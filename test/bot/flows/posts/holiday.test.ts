import { describe, expect, it } from 'vitest';
import { upcomingHoliday } from '../../../../bot/flows/posts/holiday.ts';

describe('the holiday a post greets', () => {
  it('names the next festive day within ten days, in the tenant’s language', () => {
    // Chanukah 5787 begins on the evening of 4 December 2026.
    expect(upcomingHoliday(new Date('2026-12-02T08:00:00Z'), 'he')).toBe('חנוכה');
    expect(upcomingHoliday(new Date('2026-12-02T08:00:00Z'), 'en')).toBe('Chanukah');
    // Pesach 2026 begins on 1 April.
    expect(upcomingHoliday(new Date('2026-03-26T08:00:00Z'), 'he')).toBe('פסח');
  });

  it('never greets a fast or a memorial day, and nothing further than ten days', () => {
    // Yom HaShoah (14 April) and Yom HaZikaron (21 April) come first; Yom HaAtzma'ut (22 April) is the greeting.
    expect(upcomingHoliday(new Date('2026-04-13T08:00:00Z'), 'en')).toBe("Yom HaAtzma'ut");
    // Tish'a B'Av (23 July) is a fast; Tu B'Av is not greeted: nothing to greet.
    expect(upcomingHoliday(new Date('2026-07-20T08:00:00Z'), 'he')).toBeNull();
    // Shavuot (22 May) is twelve days after 10 May: not yet.
    expect(upcomingHoliday(new Date('2026-05-10T08:00:00Z'), 'he')).toBeNull();
    expect(upcomingHoliday(new Date('2026-05-14T08:00:00Z'), 'he')).toBe('שבועות');
  });

  it('greets no Hebrew-calendar holiday in an Arabic post', () => {
    expect(upcomingHoliday(new Date('2026-12-02T08:00:00Z'), 'ar')).toBeNull();
  });
});
