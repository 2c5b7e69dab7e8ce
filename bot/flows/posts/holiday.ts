/**
 * The holiday a weekly post may greet (flow F4), from the Hebrew calendar (@hebcal/core, as the
 * Shabbat and Yom Tov deferral uses): festive days only, never a fast or a memorial day, since a
 * post wishes "happy holiday".
 */
import { HebrewCalendar, Locale } from '@hebcal/core';
import type { Language } from '../../texts/index.ts';

/** Hebcal's base names of the days a business greets its customers on. */
const GREETED = new Set([
  'Rosh Hashana',
  'Sukkot',
  'Shmini Atzeret',
  'Chanukah',
  'Tu BiShvat',
  'Purim',
  'Pesach',
  "Yom HaAtzma'ut",
  'Lag BaOmer',
  'Shavuot',
]);

/** Hebcal's locale for each language; Arabic posts greet no Hebrew-calendar holiday. */
const HEBCAL_LOCALE: Record<Language, string | null> = { he: 'he-x-NoNikud', en: 'en', ar: null };

/** How far ahead a post looks for a holiday: the week until the next post, and a little more. */
export const HOLIDAY_LOOKAHEAD_DAYS = 10;

/**
 * The first greeted holiday (Israeli calendar) starting within `HOLIDAY_LOOKAHEAD_DAYS` after
 * `now`, named in `language`, or null.
 */
export function upcomingHoliday(now: Date, language: Language): string | null {
  const locale = HEBCAL_LOCALE[language];
  if (!locale) return null;
  const end = new Date(now.getTime() + HOLIDAY_LOOKAHEAD_DAYS * 86_400_000);
  const events = HebrewCalendar.calendar({ start: now, end, il: true });
  const holiday = events.find((event) => GREETED.has(event.basename()));
  return holiday ? Locale.gettext(holiday.basename(), locale) : null;
}
