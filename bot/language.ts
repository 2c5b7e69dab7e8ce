/**
 * Which language a piece of text is written in, told by its script: Hebrew letters → `he`,
 * Arabic letters → `ar`, Latin letters → `en`. Used to answer a Google reviewer in the language
 * they wrote in, and to check that generated text is in the language it should be.
 */
import type { Language } from './texts/index.ts';

// Letters only: Hebrew punctuation (maqaf, geresh) and Arabic digits do not count.
const HEBREW_LETTER = /(?=\p{L})\p{Script=Hebrew}/u;
const ARABIC_LETTER = /(?=\p{L})\p{Script=Arabic}/u;
const LATIN_LETTER = /(?=\p{L})\p{Script=Latin}/u;

/**
 * The language whose script has the most letters in `text`, or null when it has no letters of
 * these scripts (digits, emoji, other alphabets). Ties go to Hebrew, then Arabic: a Hebrew line
 * quoting an English brand name of the same length is still Hebrew.
 */
export function detectLanguage(text: string): Language | null {
  const counts: Record<Language, number> = { he: 0, ar: 0, en: 0 };
  for (const character of text) {
    if (HEBREW_LETTER.test(character)) counts.he += 1;
    else if (ARABIC_LETTER.test(character)) counts.ar += 1;
    else if (LATIN_LETTER.test(character)) counts.en += 1;
  }
  const best = (['he', 'ar', 'en'] as const).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  return counts[best] > 0 ? best : null;
}
