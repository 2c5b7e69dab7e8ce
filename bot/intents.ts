/**
 * Understanding short WhatsApp messages, in Hebrew, English and Arabic, without AI: a message
 * counts only when, once normalised, it is exactly one of the known phrases. "who is this guy's
 * price" is not "who is this", and "עזרה עם הדוד" is not the `עזרה` command. Anything longer or
 * fuzzier is left to the service's detail extraction.
 *
 * Normalising (see {@link normalizeForMatch}) removes niqqud, Arabic harakat, punctuation, emoji,
 * direction marks and case, folds Arabic letter variants and digits, and squashes whitespace.
 * A greeting in front ("היי", "hi", "مرحبا") and a "please" at the end ("בבקשה", "please",
 * "من فضلك") are ignored around a phrase.
 */

import type { PhotoCategory } from '../integrations/google/media.ts';

/** What a customer's message asks of the conversation itself. */
export type ConversationIntent = 'who_is_this' | 'human' | 'none';

/** An owner's WhatsApp command (SPEC §7 F4). */
export type OwnerCommand = 'help' | 'leads' | 'reviews' | 'today' | 'stats' | 'pause' | 'resume' | 'settings' | 'google' | 'post';

/**
 * An owner's answer to a review draft.
 * - `approve` / `skip`: post the draft / post nothing.
 * - `text`: post `text` instead (the owner's own words, trimmed, as written; may be empty when
 *   the message held only `#N`, which the approval machine ignores).
 * `number` is the pending draft the owner picked (as numbered in the drafts sent), when given.
 */
export type ApprovalReply =
  { action: 'approve' | 'skip'; number?: number; text?: undefined } | { action: 'text'; number?: number; text: string };

const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * The form every comparison here uses: compatibility-decomposed, without combining marks (niqqud,
 * harakat, the hamza on alef, accents, emoji keycaps), lower case, Arabic-Indic digits as ASCII,
 * ة→ه and ى→ي, apostrophes dropped ("who's" → "whos"), other punctuation, symbols, emoji and
 * invisible format characters as spaces, whitespace squashed and trimmed.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.codePointAt(0)! & 0xf))
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/['’‘`׳]/g, '')
    .replace(/[\p{P}\p{S}\p{Cf}\p{Extended_Pictographic}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A set of phrases in normalised form, so the lists below can be written naturally. */
const phrases = (...list: string[]): ReadonlySet<string> => new Set(list.map(normalizeForMatch));

const GREETINGS = phrases('היי', 'הי', 'שלום', 'אהלן', 'hi', 'hey', 'hello', 'مرحبا', 'اهلا', 'سلام', 'هاي');
const PLEASE = phrases('בבקשה', 'please', 'pls', 'plz', 'من فضلك', 'لو سمحت', 'بليز');

/** The message's words with a leading greeting and a trailing "please" taken off. */
function coreWords(text: string): string[] {
  const words = normalizeForMatch(text).split(' ').filter(Boolean);
  if (words.length > 1 && GREETINGS.has(words[0]!)) words.shift();
  // "please" may be one word or two ("من فضلك").
  for (const n of [2, 1]) {
    if (words.length > n && PLEASE.has(words.slice(-n).join(' '))) {
      words.splice(-n);
      break;
    }
  }
  return words;
}

const core = (text: string): string => coreWords(text).join(' ');

const WHO_IS_THIS = phrases(
  // Hebrew
  'מי זה',
  'מי זאת',
  'מי אתם',
  'מי אתה',
  'מי את',
  'מי מדבר',
  'מי מדברת',
  'מה זה',
  'מי זה בכלל',
  // English
  'who is this',
  "who's this",
  'who is it',
  'who are you',
  'who r u',
  'who are u',
  'who is that',
  'what is this',
  // Arabic
  'مين',
  'مين انت',
  'مين انتم',
  'مين حضرتك',
  'مين معي',
  'مين هاد',
  'مين هذا',
  'من أنت',
  'من انتم',
  'من حضرتك',
  'من معي',
  'من هذا',
);

const HUMAN = phrases(
  // Hebrew
  'נציג',
  'נציגה',
  'נציג אנושי',
  'בן אדם',
  'בנאדם',
  'אדם אמיתי',
  'לדבר עם נציג',
  'לדבר עם בן אדם',
  'רוצה נציג',
  'אפשר נציג',
  'אני רוצה נציג',
  'אני רוצה לדבר עם נציג',
  // English
  'human',
  'a human',
  'agent',
  'representative',
  'real person',
  'operator',
  'talk to a human',
  'speak to a human',
  'talk to a person',
  'speak to a person',
  'talk to someone',
  // Arabic
  'ممثل',
  'موظف',
  'انسان',
  'بدي موظف',
  'بدي احكي مع موظف',
);

/**
 * Whether a customer asks who is writing to them (`who_is_this`), asks for a person (`human`), or
 * neither (`none`). The whole message must be the phrase: "מי זה?", "who are you", "مين",
 * "من أنت"; "נציג", "בן אדם", "human", "agent", "ممثل". A human request wins if both could match.
 */
export function detectConversationIntent(text: string): ConversationIntent {
  const c = core(text);
  if (HUMAN.has(c)) return 'human';
  if (WHO_IS_THIS.has(c)) return 'who_is_this';
  return 'none';
}

const APPROVE = phrases('1', 'אשר', 'אשרי', 'מאשר', 'מאשרת', 'אישור', 'approve', 'approved', 'أوافق', 'موافق');
const SKIP = phrases('2', 'דלג', 'דלגי', 'skip', 'تخطي', 'تخطى');

/** A draft number: 1 to 999. */
const DRAFT_NUMBER = /^[1-9]\d{0,2}$/;

function actionOf(word: string): 'approve' | 'skip' | null {
  if (APPROVE.has(word)) return 'approve';
  if (SKIP.has(word)) return 'skip';
  return null;
}

/**
 * An owner's reply to a review draft. Grammar, on the normalised message (so `#`, punctuation,
 * emoji, a greeting and "please" do not matter), where ACTION is an approve word (`1`, `אשר`,
 * `מאשר`, `approve`, `أوافق`, `موافق`) or a skip word (`2`, `דלג`, `skip`, `تخطي`):
 *
 * ```text
 * ACTION                 → that action on the only (or replied-to) draft    "1", "אשר!"
 * [#]N ACTION            → that action on draft N                           "#3 אשר", "3 2"
 * WORD [#]N              → the same, with a word (not a digit) as action    "אשר 3", "skip #2"
 * #N <anything else>     → post that text on draft N                        "#3 תודה רבה…"
 * <anything else>        → post that text                                   "תודה, נחזור אליך"
 * ```
 *
 * N is 1–999. In `N ACTION` the number always comes first, so "1 2" is "skip draft 1". A text
 * that merely starts with a number (no `#`) is text, because owners write "3 days…". Text is the
 * owner's message as written (trimmed, minus the `#N` prefix).
 */
export function parseApprovalReply(text: string): ApprovalReply {
  const words = coreWords(text);
  if (words.length === 1) {
    const action = actionOf(words[0]!);
    if (action) return { action };
  }
  if (words.length === 2) {
    const [first, second] = words as [string, string];
    const leading = actionOf(second);
    if (DRAFT_NUMBER.test(first) && leading) return { action: leading, number: Number(first) };
    const trailing = actionOf(first);
    if (trailing && !/^\d+$/.test(first) && DRAFT_NUMBER.test(second)) {
      return { action: trailing, number: Number(second) };
    }
  }
  const raw = text.trim();
  const numbered = /^#\s*([1-9]\d{0,2})(?:\s+([\s\S]*))?$/.exec(raw);
  if (numbered) return { action: 'text', number: Number(numbered[1]), text: (numbered[2] ?? '').trim() };
  return { action: 'text', text: raw };
}

const COMMANDS: ReadonlyArray<readonly [OwnerCommand, ReadonlySet<string>]> = [
  ['help', phrases('עזרה', 'תפריט', 'help', 'menu', 'مساعدة', 'قائمة')],
  ['leads', phrases('לידים', 'leads', 'عملاء')],
  ['stats', phrases('סטטיסטיקה', 'סטטיסטיקות', 'stats', 'statistics', 'إحصائيات')],
  ['pause', phrases('השהה', 'השהיה', 'pause', 'إيقاف مؤقت')],
  ['resume', phrases('המשך', 'resume', 'استئناف')],
  ['reviews', phrases('ביקורות', 'reviews', 'تقييمات', 'مراجعات')],
  ['today', phrases('מה חדש', 'מה חדש היום', "what's new", 'whats new', 'today', 'ما الجديد', 'شو الجديد')],
  ['settings', phrases('הגדרות', 'settings', 'إعدادات', 'اعدادات')],
  ['google', phrases('גוגל', 'google', 'جوجل', 'غوغل')],
  ['post', phrases('פוסט', 'post', 'منشور', 'بوست')],
];

/**
 * An owner command, or null when the message is not exactly one: `עזרה`/`help`/`مساعدة`/`תפריט`/
 * `menu`; `לידים`/`leads`; `ביקורות`/`reviews`; `מה חדש`/`what's new`; `סטטיסטיקה`/`stats`;
 * `השהה`/`pause`; `המשך`/`resume`; `הגדרות`/`settings`; `גוגל`/`google`; `פוסט`/`post`/`منشور`. A leading `/`
 * ("/help") is fine; "עזרה עם הדוד" is not a command.
 */
export function parseOwnerCommand(text: string): OwnerCommand | null {
  const c = core(text);
  for (const [command, words] of COMMANDS) if (words.has(c)) return command;
  return null;
}

/** Caption words that name a photo's Google category, in Hebrew, English and Arabic. */
const PHOTO_CATEGORY_WORDS: readonly [PhotoCategory, ReadonlySet<string>][] = [
  ['EXTERIOR', phrases('חוץ', 'בחוץ', 'מבחוץ', 'חזית', 'exterior', 'outside', 'outdoor', 'خارج', 'الخارج', 'واجهه')],
  ['INTERIOR', phrases('פנים', 'בפנים', 'מבפנים', 'interior', 'inside', 'indoor', 'داخل', 'الداخل')],
  ['AT_WORK', phrases('עבודה', 'בעבודה', 'העבודה', 'work', 'working', 'عمل', 'العمل', 'شغل')],
  ['TEAMS', phrases('צוות', 'הצוות', 'team', 'staff', 'فريق', 'الفريق', 'طاقم')],
  ['PRODUCT', phrases('מוצר', 'מוצרים', 'המוצר', 'product', 'products', 'منتج', 'منتجات')],
];
const OTHER_CATEGORY = phrases('אחר', 'other', 'اخر', 'آخر');

/** The order of the numbered category question (`photos.askCategory`): 1 = EXTERIOR … 6 = ADDITIONAL. */
export const PHOTO_CATEGORY_CHOICES: readonly PhotoCategory[] = ['EXTERIOR', 'INTERIOR', 'AT_WORK', 'TEAMS', 'PRODUCT', 'ADDITIONAL'];

/** The category a photo's caption names by one of its words ("הצוות שלנו" → TEAMS), or null. */
export function parsePhotoCategory(caption: string): PhotoCategory | null {
  const words = normalizeForMatch(caption).split(' ');
  return PHOTO_CATEGORY_WORDS.find(([, names]) => words.some((w) => names.has(w)))?.[0] ?? null;
}

/** The owner's answer to the category question: a number from the list, or the category's word. */
export function parseCategoryChoice(text: string): PhotoCategory | null {
  const answer = core(text);
  if (/^[1-9]$/.test(answer)) return PHOTO_CATEGORY_CHOICES[Number(answer) - 1] ?? null;
  if (OTHER_CATEGORY.has(answer)) return 'ADDITIONAL';
  return PHOTO_CATEGORY_WORDS.find(([, names]) => names.has(answer))?.[0] ?? null;
}
