/**
 * Unicode bidi isolates for right-to-left catalogs. A name, phone number or free text dropped into a
 * Hebrew or Arabic line can otherwise reorder the punctuation around it (a `+` jumping to the
 * wrong end of a phone number, a Latin name swallowing the colon after it). An isolate renders its
 * content as a separate run, in its own direction, without affecting the line around it.
 *
 * Links are not wrapped: catalogs put a `{link}` alone on its line instead, so WhatsApp's link
 * detection never sees an invisible character glued to the URL.
 */

/** First Strong Isolate: direction taken from the content itself (names, free text). */
export const FSI = '\u2068';
/** Left-to-Right Isolate: for content that is always LTR (phone numbers, commands in Latin). */
export const LRI = '\u2066';
/** Pop Directional Isolate: closes an FSI or LRI. */
export const PDI = '\u2069';

/** Wraps text (typically a `{placeholder}`) in FSI…PDI, keeping its literal type for the catalog. */
export const isolate = <S extends string>(text: S) => `${FSI}${text}${PDI}` as `${typeof FSI}${S}${typeof PDI}`;

/** Wraps text in LRI…PDI: always left-to-right, e.g. `+972 52-765-4321` inside a Hebrew line. */
export const isolateLtr = <S extends string>(text: S) => `${LRI}${text}${PDI}` as `${typeof LRI}${S}${typeof PDI}`;

/** Removes bidi isolates, for comparisons and length checks that should ignore them. */
export const stripIsolates = (text: string): string => text.replace(/[\u2066-\u2069]/g, '');
