/**
 * Opt-out and opt-in keywords (§6). They work at any moment, in any conversation, so they must
 * never fire on an ordinary message: a keyword counts only when it is the WHOLE message.
 *
 * The rule: normalise the message (Unicode compatibility form; niqqud, Arabic harakat and other
 * combining marks dropped; invisible direction marks and joiners dropped; punctuation, emoji and
 * spaces around the word dropped; inner spaces collapsed; lower case), then compare it with each
 * keyword normalised the same way. `STOP`, `stop!`, `הסר 🙏`, `הָסֵר` and `הסר` between RTL marks
 * opt out; `stop the bill`, `ביטול הזמנה` and `please stop` do not.
 */

/** What a consent keyword asks for. */
export type ConsentKeyword = 'opt_out' | 'opt_in';

/**
 * Words that opt a customer out. Beyond §6's list: `unsubscribe` and `הסרה` ("removal"), which
 * mean nothing else when sent alone. Not `בטל`/`cancel`, which alone usually means an appointment.
 */
export const OPT_OUT_WORDS = ['STOP', 'unsubscribe', 'הסר', 'הסירו', 'הסרה', 'ביטול', 'توقف'] as const;

/** Words that opt a customer back in: §6's `START`/`התחל`, and `ابدأ` ("start") so Arabic has one too. */
export const OPT_IN_WORDS = ['START', 'התחל', 'ابدأ'] as const;

// Arabic tatweel is a letter-stretching glyph, not a combining mark, so it needs naming.
const INVISIBLE = /[\p{M}\p{Cf}\u0640]/gu;
const EDGE_NON_WORD = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** A message reduced to what decides whether it is a keyword (see the module comment). */
function normalizeKeywordText(text: string): string {
  return text.normalize('NFKD').replace(INVISIBLE, '').replace(EDGE_NON_WORD, '').replace(/\s+/gu, ' ').toLowerCase();
}

const KEYWORDS = new Map<string, ConsentKeyword>([
  ...OPT_OUT_WORDS.map((word) => [normalizeKeywordText(word), 'opt_out'] as const),
  ...OPT_IN_WORDS.map((word) => [normalizeKeywordText(word), 'opt_in'] as const),
]);

/**
 * `'opt_out'` or `'opt_in'` when the whole message, normalised, is one of the consent words;
 * otherwise `null`. Works the same for typed text and quick-reply button titles.
 */
export function parseConsentKeyword(text: string): ConsentKeyword | null {
  return KEYWORDS.get(normalizeKeywordText(text)) ?? null;
}
