/**
 * Which review request a Google review answers: reviewer names matched to customer names up to
 * case, spacing, niqqud and Hebrew↔English spelling, and the matching request closed.
 */
import { recordActivity } from '../../activity.ts';
import { ReviewRequestModel, type Review, type Tenant } from '../../db/models/index.ts';

// Common Israeli first names and surnames in Hebrew and their usual Latin spellings.
const TRANSLITERATIONS: Record<string, string[]> = {
  'דנה': ['dana'], 'דני': ['dani', 'danny'], 'דניאל': ['daniel'], 'דוד': ['david', 'dudi'], 'יוסי': ['yossi', 'yosi', 'josi'],
  'יוסף': ['yosef', 'joseph', 'josef'], 'משה': ['moshe', 'moses'], 'שרה': ['sarah', 'sara'], 'מיכל': ['michal'],
  'נועה': ['noa', 'noah'], 'אבי': ['avi'], 'רונית': ['ronit'], 'יעל': ['yael', 'yaël'], 'תמר': ['tamar'], 'אורי': ['ori', 'uri'],
  'איתי': ['itai', 'itay'], 'עומר': ['omer', 'omar'], 'אלון': ['alon'], 'גיל': ['gil'], 'רון': ['ron'], 'שירה': ['shira'],
  'רחל': ['rachel', 'rahel'], 'לאה': ['lea', 'leah'], 'יונתן': ['yonatan', 'jonathan', 'jonatan'], 'מיכאל': ['michael', 'michael'],
  'אברהם': ['avraham', 'abraham'], 'יצחק': ['yitzhak', 'itzhak', 'isaac'], 'יעקב': ['yaakov', 'yakov', 'jacob'],
  'חיים': ['haim', 'chaim', 'hayim'], 'נתן': ['natan', 'nathan'], 'עדי': ['adi'], 'ליאור': ['lior'], 'מאיה': ['maya', 'maia'],
  'רותם': ['rotem'], 'עמית': ['amit'], 'אסף': ['asaf', 'assaf'], 'טל': ['tal'], 'הילה': ['hila', 'hilla'], 'שני': ['shani'],
  'אייל': ['eyal'], 'אורן': ['oren'], 'ניר': ['nir'], 'גלית': ['galit'], 'אביטל': ['avital'], 'נוי': ['noy', 'noi'],
  'שלמה': ['shlomo'], 'אליהו': ['eliyahu', 'eli'], 'אלי': ['eli'], 'מוחמד': ['mohammed', 'muhammad', 'mohamed'],
  'אחמד': ['ahmad', 'ahmed'], 'כהן': ['cohen', 'kohen'], 'לוי': ['levi', 'levy'], 'מזרחי': ['mizrahi', 'mizrachi'],
  'פרץ': ['peretz', 'perez'], 'ביטון': ['biton', 'bitton'], 'אברהמי': ['avrahami'], 'פרידמן': ['friedman', 'fridman'],
  'שפירא': ['shapira', 'shapiro'], 'גולן': ['golan'], 'אזולאי': ['azulay', 'azoulay'], 'דהן': ['dahan'], 'עזרא': ['ezra'],
};
const FINAL_LETTERS: Record<string, string> = { 'ך': 'כ', 'ם': 'מ', 'ן': 'נ', 'ף': 'פ', 'ץ': 'צ' };

/** Lower case, without niqqud, accents, punctuation or final-letter forms; words split on spaces. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ךםןףץ]/g, (c) => FINAL_LETTERS[c]!)
    .replace(/['’‘`׳״"]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

const LATIN_NAMES = new Map<string, string>();
for (const [hebrew, latin] of Object.entries(TRANSLITERATIONS)) {
  const key = nameWords(hebrew)[0]!;
  for (const spelling of latin) LATIN_NAMES.set(spelling, key);
}

// A rough consonant skeleton for names outside the table: Hebrew matres lectionis and gutturals,
// and Latin vowels and h, carry no weight; letters that sound alike share a class.
const HEBREW_SOUNDS: Record<string, string> = {
  'ב': 'b', 'ג': 'g', 'ד': 'd', 'ז': 'z', 'ט': 't', 'כ': 'k', 'ל': 'l', 'מ': 'm', 'נ': 'n', 'ס': 's', 'פ': 'p', 'צ': 'C',
  'ק': 'k', 'ר': 'r', 'ש': 's', 'ת': 't', 'ח': 'k',
};
function hebrewSkeletons(word: string): string[] {
  // ו is a vowel or a v: try both.
  let variants = [''];
  for (const ch of word) {
    if (ch === 'ו') variants = variants.flatMap((v) => [v, `${v}b`]);
    else variants = variants.map((v) => v + (HEBREW_SOUNDS[ch] ?? ''));
  }
  return variants;
}
function latinSkeleton(word: string): string {
  return word
    // Upper case marks the ts sound, so the c → k rule below leaves it alone.
    .replace(/tz|ts/g, 'C')
    .replace(/ch|kh|ck|c|q|x/g, 'k')
    .replace(/sh/g, 's')
    .replace(/ph|f/g, 'p')
    .replace(/[vw]/g, 'b')
    .replace(/[aeiouyh]/g, '')
    .replace(/(.)\1+/g, '$1');
}
const isHebrew = (word: string) => /\p{Script=Hebrew}/u.test(word);

/** Whether two single name words are the same name, in either script. */
export function sameNameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [he, latin] = isHebrew(a) ? [a, b] : [b, a];
  if (!isHebrew(he) || isHebrew(latin)) return false;
  if (LATIN_NAMES.get(latin) === he) return true;
  if (latin.length < 2) return false;
  return hebrewSkeletons(he).some((s) => s !== '' && s === latinSkeleton(latin));
}

/**
 * Whether a Google reviewer name is plausibly the review request's customer: the same name up to
 * case, spacing, niqqud and Hebrew↔English spelling; or the same first name where one side gives
 * only a first name (or an initial for the surname).
 */
export function namesMatch(reviewerName: string, customerName: string): boolean {
  const a = nameWords(reviewerName);
  const b = nameWords(customerName);
  if (a.length === 0 || b.length === 0) return false;
  if (!sameNameWord(a[0]!, b[0]!)) return false;
  if (a.length === 1 || b.length === 1) return true;
  const [x, y] = [a[1]!, b[1]!];
  if (x.length === 1 || y.length === 1) return x[0] === y[0] || (x.length > 1 ? sameNameWord(x, y) : sameNameWord(y, x)) || initialMatches(x, y);
  return sameNameWord(x, y);
}

// "Levi" and "ל" (or "L" and "לוי"): an initial in the other script is too weak to judge; accept it.
function initialMatches(x: string, y: string): boolean {
  return isHebrew(x) !== isHebrew(y);
}

/** Request statuses that a review can still close. */
const OPEN_REQUEST_STATUSES = ['scheduled', 'sent', 'reminded'] as const;

/**
 * Closes the open review request whose customer wrote this review: the most recent request with
 * the same full name, or, failing that, the only one whose name merely matches loosely.
 * Returns the request id, or null.
 */
export async function closeMatchingRequest(tenant: Tenant, review: Review): Promise<string | null> {
  if (!review.reviewerName) return null;
  const open = await ReviewRequestModel.find({ tenantId: tenant.id, status: { $in: OPEN_REQUEST_STATUSES }, customerName: { $exists: true } })
    .sort({ createdAt: -1 })
    .limit(500);
  const reviewer = nameWords(review.reviewerName).join(' ');
  const exact = open.filter((r) => nameWords(r.customerName ?? '').join(' ') === reviewer);
  const loose = open.filter((r) => namesMatch(review.reviewerName!, r.customerName ?? ''));
  // Two different customers called Dana: a loose match could close the wrong one, so close none.
  const phones = new Set(loose.map((r) => r.phone));
  const chosen = exact[0] ?? (phones.size === 1 ? loose[0] : undefined);
  if (!chosen) return null;
  const closed = await ReviewRequestModel.updateMany(
    { tenantId: tenant.id, phone: chosen.phone, status: { $in: OPEN_REQUEST_STATUSES } },
    { $set: { status: 'reviewed', reviewId: review.id } },
  );
  if (closed.modifiedCount > 0) {
    await recordActivity(tenant.id, 'review.received', `review request to ${chosen.phone} closed: ${review.reviewerName} wrote a review`, chosen.id);
  }
  return chosen.id as string;
}

