/**
 * The deterministic text generator: used when there is no Anthropic API key, and as the fallback
 * whenever Claude fails or its output fails the checks. It reads Hebrew, English and Arabic free
 * text with word lists and a few patterns, and writes from the catalogs' fallback texts.
 *
 * How a message is read: it is split into clauses (commas, full stops, new lines); in each clause,
 * trigger words start a segment ("קוראים לי" → name, "צריך" → need, "מחר" / "אחרי 4" → time) that
 * runs to the next trigger. Words outside any segment are "leftovers", taken as the detail the
 * conversation is expecting ("דני" alone, when the bot just asked for a name).
 */
import { detectLanguage } from '../language.ts';
import { checkPost } from './check-output.ts';
import { stripIsolates } from '../texts/bidi.ts';
import { t, type Language } from '../texts/index.ts';
import type {
  ExtractLeadDetailsOptions,
  LeadDetails,
  LeadToSummarise,
  PostFacts,
  ReviewReply,
  ReviewToAnswer,
  TextGenerator,
} from './text-generator.ts';

/** The longest value kept for each lead detail, in characters. */
export const LEAD_DETAIL_LIMITS = { name: 60, need: 200, preferredTime: 100 } as const;

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
const phrases = (...list: string[]): string[][] => list.map(words);

/** Said at the start of a clause and carrying no detail; removed before reading. */
const GREETINGS = phrases(
  'בוקר טוב',
  'ערב טוב',
  'צהריים טובים',
  'לילה טוב',
  'שלום',
  'היי',
  'הי',
  'אהלן',
  'הלו',
  'תודה רבה',
  'תודה',
  'good morning',
  'good afternoon',
  'good evening',
  'hello',
  'hi',
  'hey',
  'thank you',
  'thanks',
  'صباح الخير',
  'مساء الخير',
  'السلام عليكم',
  'مرحبا',
  'مرحباً',
  'أهلا',
  'اهلا',
  'شكرا',
  'شكراً',
);

/** Words before a name, anywhere in a clause. Longest first, so "השם שלי הוא" wins over "השם שלי". */
const NAME_TRIGGERS = phrases(
  'השם שלי הוא',
  'השם שלי',
  'קוראים לי',
  'שמי',
  'my name is',
  "name's",
  'call me',
  'اسمي هو',
  'اسمي',
  'إسمي',
).sort((a, b) => b.length - a.length);

/**
 * Words that introduce a name only at the start of a clause: "אני דני", but not "…כי זה רועש".
 */
const CLAUSE_START_NAME_TRIGGERS = phrases(
  'אני',
  'זה',
  'כאן',
  'מדבר',
  'מדברת',
  'i am',
  'this is',
  'it is',
  "i'm",
  'im',
  "it's",
  'أنا',
  'انا',
  'معك',
).sort((a, b) => b.length - a.length);

interface NeedTrigger {
  words: string[];
  /** "בקשר לתיקון" → "תיקון": drop the ל glued to the first word of the need. */
  dropsLamed?: boolean;
}

const NEED_TRIGGERS: NeedTrigger[] = [
  ...phrases(
    'צריך',
    'צריכה',
    'צריכים',
    'רוצה',
    'רוצים',
    'מחפש',
    'מחפשת',
    'מחפשים',
    'מעוניין',
    'מעוניינת',
    'מעוניינים',
    'יש לי',
    'יש לנו',
    'לגבי',
    'בעניין',
    'need',
    'needs',
    'looking for',
    'want',
    'wants',
    'would like',
    "i'd like",
    'interested in',
    'regarding',
    'about',
    'أحتاج',
    'احتاج',
    'محتاج',
    'محتاجة',
    'بحاجة إلى',
    'بحاجة الى',
    'بحاجة',
    'بدي',
    'بدّي',
    'أريد',
    'اريد',
    'أبحث عن',
    'ابحث عن',
    'بخصوص',
    'بشأن',
  ).map((trigger) => ({ words: trigger })),
  ...phrases('בקשר', 'אשמח').map((trigger) => ({ words: trigger, dropsLamed: true })),
].sort((a, b) => b.words.length - a.words.length);

/** Words that are a time on their own (Hebrew and Arabic after their prefix letters are removed). */
const TIME_WORDS = new Set(
  words(`
    היום מחר מחרתיים הערב הבוקר הלילה עכשיו בהקדם דחוף השבוע שבוע חודש יום בוקר ערב צהריים צהרים
    אחה"צ לילה שעה שעות שלישי רביעי חמישי שישי שבת מוצ"ש סופ"ש סופש
    today tonight tomorrow tmrw morning afternoon evening night noon midday weekend week asap now
    anytime whenever later monday tuesday wednesday thursday friday saturday sunday
    اليوم غدا غداً غدًا بكرا بكرة بكره الصبح صباحا صباحاً الصباح صباح مساء مساءً المسا المساء الظهر العصر
    الليلة ليلا ليلاً الليل الأسبوع الاسبوع الآن حالا حالاً الساعة ساعة الأحد الاحد الاثنين الإثنين
    الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت بعدين
  `),
);

/** Times of several words whose words are not times alone. */
const TIME_PHRASES = phrases(
  'בכל זמן',
  'כל זמן',
  'מתי שנוח',
  'לא משנה',
  'כמה שיותר מהר',
  'אחר כך',
  'any time',
  'as soon as possible',
  'أي وقت',
  'بأي وقت',
  'بأسرع وقت',
).sort((a, b) => b.length - a.length);

/** Words that make the number (or time word) after them a time: "אחרי 4", "after 5", "بعد 4". */
const TIME_PREPOSITIONS = new Set(
  words(`
    אחרי לפני עד בין בסביבות סביבות בערך משעה מהשעה אחר מ ב
    after before at around by from between until till next this about
    بعد قبل حوالي من الى إلى حتى بين
  `),
);

/** Words that are never a name and carry no detail on their own. */
const STOP_WORDS = new Set(
  words(`
    צריך צריכה צריכים רוצה רוצים מחפש מחפשת מחפשים מעוניין מעוניינת מעוניינים פנוי פנויה זמין זמינה
    יכול יכולה יכולים לא כן גם רק פה כאן שם מה מי למה איך מתי איפה אני אתה את אנחנו הוא היא זה זאת זו
    של עם על אל יש אין אם או אבל כי תודה בסדר אוקיי אוקי טוב מעולה סבבה נציג אדם אנושי שלום היי הי
    בבית בעבודה עובד עובדת מתקשר מתקשרת חושב חושבת שואל שואלת מבקש מבקשת אשמח מדבר מדברת בעניין לגבי
    בקשר ממש מאוד אפשר נוח לי לנו מתאים עדיף בבקשה רציתי
    need needs want wants looking available free here there not yes no ok okay sure just also calling
    wondering interested a an the and or but to for from with at in on is am are was be i you we he she
    it this that my your our hi hello hey thanks thank please good fine human agent person who what when
    where why how can could would like
    بحاجة محتاج محتاجة بدي أريد اريد أبحث ابحث متاح متاحة هنا لا نعم مش ما من متى أين كيف شكرا مرحبا
    هذا هذه أنا انا في على مع عن إلى الى ممكن لو سمحت من فضلك
  `),
);

/** Politeness at the end of a need or time, dropped from the value. */
const TRAILING_FILLERS = phrases('אם אפשר', 'בבקשה', 'תודה', 'if possible', 'please', 'thanks', 'لو سمحت', 'من فضلك', 'شكرا');

const HEBREW_PREFIXES = /^[ובלמהשכ]{1,2}/;
const ARABIC_PREFIXES = /^[وبفل]/;
const CLOCK_OR_DATE = /^(?:\d{1,2}[:.]\d{2}|\d{1,2}(?:am|pm)|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)$/i;
const PREFIXED_HOUR = /^[ובלמ]{1,2}-?\d{1,2}(?:[:.]\d{2})?$/;
const HOUR = /^\d{1,2}(?:[:.]\d{2})?(?:am|pm)?$/i;
const NAME_WORD = /^\p{L}[\p{L}\p{M}'"-]*$/u;

/** A word as written, and its form for matching: lower case, unified quotes, no edge punctuation. */
interface Token {
  text: string;
  key: string;
}

function tokenize(clause: string): Token[] {
  return words(clause)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}'"״׳]+$/gu, ''))
    .filter(Boolean)
    .map((text) => ({
      text,
      key: text
        .toLowerCase()
        .replace(/[’‘`׳]/g, "'")
        .replace(/[״“”]/g, '"'),
    }));
}

/** The ways a word may be written with Hebrew or Arabic prefix letters removed ("ובבוקר" → "בוקר"). */
function baseForms(key: string): string[] {
  const forms = [key];
  const hebrew = key.match(HEBREW_PREFIXES)?.[0] ?? '';
  for (let length = 1; length <= hebrew.length; length += 1) forms.push(key.slice(length).replace(/^-/, ''));
  if (ARABIC_PREFIXES.test(key)) forms.push(key.slice(1));
  return forms;
}

const isTimeWord = (key: string) => baseForms(key).some((form) => TIME_WORDS.has(form));
const isTimePreposition = (key: string) => baseForms(key).some((form) => TIME_PREPOSITIONS.has(form));
const isStopWord = (key: string) => STOP_WORDS.has(key) || STOP_WORDS.has(key.replace(/^[וو]/, ''));

function matchesAt(tokens: Token[], index: number, phrase: string[], allowConjunction = false): boolean {
  return phrase.every((word, offset) => {
    const key = tokens[index + offset]?.key;
    if (key === undefined) return false;
    // "ואני", "وأنا": a trigger may carry the conjunction "and" as a prefix on its first word.
    return key === word || (allowConjunction && offset === 0 && /^[וو]/.test(key) && key.slice(1) === word);
  });
}

/** The length of the time expression starting at `index`, or 0 when none starts there. */
function timeStartLength(tokens: Token[], index: number): number {
  const phrase = TIME_PHRASES.find((candidate) => matchesAt(tokens, index, candidate, true));
  if (phrase) return phrase.length;
  const { key } = tokens[index];
  const next = tokens[index + 1]?.key;
  if (isTimeWord(key) || CLOCK_OR_DATE.test(key) || PREFIXED_HOUR.test(key)) return 1;
  if (HOUR.test(key) && next !== undefined && /^(?:am|pm|o'clock)$/.test(next)) return 1;
  if (isTimePreposition(key) && next !== undefined && (HOUR.test(next) || CLOCK_OR_DATE.test(next) || isTimeWord(next))) return 1;
  return 0;
}

const isNameWord = (token: Token | undefined): token is Token =>
  token !== undefined && NAME_WORD.test(token.text) && token.text.length <= 20 && !isStopWord(token.key) && !isTimeWord(token.key);

type Segment = { kind: 'name' | 'need' | 'time' | 'leftover'; words: string[] };

function findNeedTrigger(tokens: Token[], index: number): NeedTrigger | undefined {
  return NEED_TRIGGERS.find((trigger) => matchesAt(tokens, index, trigger.words, true));
}

function isBoundary(tokens: Token[], index: number): boolean {
  return (
    index >= tokens.length ||
    isStopWord(tokens[index].key) ||
    timeStartLength(tokens, index) > 0 ||
    findNeedTrigger(tokens, index) !== undefined
  );
}

/**
 * The name after a trigger: one word, or two ("משה כהן") when a clear boundary follows them,
 * so "שמי רונית מרמת גן" gives "רונית" and not "רונית מרמת".
 */
function nameLengthAt(tokens: Token[], index: number): number {
  if (!isNameWord(tokens[index])) return 0;
  return isNameWord(tokens[index + 1]) && isBoundary(tokens, index + 2) ? 2 : 1;
}

/** Cuts one clause into segments at each trigger; words before the first trigger are a leftover. */
function readClause(tokens: Token[]): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { kind: 'leftover', words: [] };
  const startSegment = (kind: Segment['kind']) => {
    if (current.words.length > 0 || current.kind !== 'leftover') segments.push(current);
    current = { kind, words: [] };
  };

  let index = 0;
  while (index < tokens.length) {
    const timeLength = current.kind === 'time' ? 0 : timeStartLength(tokens, index);
    if (timeLength > 0) {
      startSegment('time');
      current.words.push(...tokens.slice(index, index + timeLength).map((token) => token.text));
      index += timeLength;
      continue;
    }
    const nameTrigger = [...NAME_TRIGGERS, ...(index === 0 ? CLAUSE_START_NAME_TRIGGERS : [])].find((trigger) =>
      matchesAt(tokens, index, trigger, true),
    );
    const nameLength = nameTrigger ? nameLengthAt(tokens, index + nameTrigger.length) : 0;
    if (nameTrigger && nameLength > 0) {
      const nameStart = index + nameTrigger.length;
      startSegment('name');
      current.words.push(...tokens.slice(nameStart, nameStart + nameLength).map((token) => token.text));
      startSegment('leftover');
      index = nameStart + nameLength;
      continue;
    }
    const needTrigger = findNeedTrigger(tokens, index);
    if (needTrigger) {
      startSegment('need');
      index += needTrigger.words.length;
      const first = tokens[index];
      if (needTrigger.dropsLamed && first && /^ל\p{L}{2,}/u.test(first.text)) {
        current.words.push(first.text.slice(1));
        index += 1;
      }
      continue;
    }
    current.words.push(tokens[index].text);
    index += 1;
  }
  startSegment('leftover');
  return segments.filter((segment) => segment.words.length > 0);
}

function withoutGreeting(tokens: Token[]): Token[] {
  let rest = tokens;
  for (let greeting = GREETINGS.find((g) => matchesAt(rest, 0, g)); greeting; greeting = GREETINGS.find((g) => matchesAt(rest, 0, g))) {
    rest = rest.slice(greeting.length);
  }
  return rest;
}

function withoutTrailingFillers(values: string[]): string[] {
  let rest = values;
  for (;;) {
    const tokens = tokenize(rest.join(' '));
    const filler = TRAILING_FILLERS.find((candidate) => matchesAt(tokens, tokens.length - candidate.length, candidate));
    if (!filler || tokens.length === filler.length) return rest;
    rest = rest.slice(0, rest.length - filler.length);
  }
}

const hasContent = (values: string[]) => tokenize(values.join(' ')).some((token) => !isStopWord(token.key));

const limit = (value: string, max: number): string | undefined => {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1).trimEnd()}…`;
};

/** Splits a message into clauses at commas, sentence ends, new lines and dashes between spaces. */
const clausesOf = (text: string): string[] =>
  stripIsolates(text)
    .split(/(?:[,;!?،؛\n]|\.(?=\s|$)|\s[-–—]\s)+/)
    .map((clause) => clause.trim())
    .filter(Boolean);

/**
 * Finds the customer's name, need and preferred time in free text (Hebrew, English or Arabic).
 * A bare answer ("דני", "מחר בבוקר", "תיקון מזגן") is taken as the detail `expecting` names.
 * The word lists of all three languages apply at once, since a customer may not write in the
 * conversation's language, so `options.language` is not needed here.
 */
export function extractLeadDetailsByRules(text: string, { expecting }: ExtractLeadDetailsOptions): LeadDetails {
  const readings = clausesOf(text).map((clause) => readClause(withoutGreeting(tokenize(clause))));
  const segments = readings.flat();
  // A clause with no trigger at all, as opposed to words left over next to a name or a time.
  const standalone = new Set(readings.filter((reading) => reading.length === 1).map((reading) => reading[0]));
  const joined = (kind: Segment['kind'], only: (segment: Segment) => boolean = () => true) =>
    segments
      .filter((segment) => segment.kind === kind && only(segment))
      .map((segment) => withoutTrailingFillers(segment.words))
      .filter(hasContent)
      .map((values) => values.join(' '));

  let name: string | undefined = joined('name')[0];
  const needs = joined('need');
  const times = joined('time');
  const leftovers = joined('leftover');

  switch (expecting) {
    case 'name': {
      const bareName = leftovers.find((leftover) => {
        const tokens = tokenize(leftover);
        return tokens.length <= 3 && tokens.every(isNameWord);
      });
      if (!name && bareName) {
        name = bareName;
        leftovers.splice(leftovers.indexOf(bareName), 1);
      }
      break;
    }
    case 'need':
      if (needs.length === 0) needs.push(...leftovers.splice(0));
      break;
    case 'time':
      if (times.length === 0) times.push(...leftovers.splice(0));
      break;
    case 'any':
      break;
    default:
      expecting satisfies never;
  }
  // A clause of its own that nobody claimed, in a message that said something else too, is most
  // likely the need: "אני דני, תיקון דוד שמש, מחר". Words next to a name ("שמי רונית מרמת גן") are not.
  if (needs.length === 0) {
    needs.push(
      ...joined('leftover', (segment) => standalone.has(segment)).filter(
        (leftover) => words(leftover).length >= 2 && leftovers.includes(leftover),
      ),
    );
  }

  const details: LeadDetails = {};
  const nameValue = name && limit(name, LEAD_DETAIL_LIMITS.name);
  const needValue = limit(needs.join(', '), LEAD_DETAIL_LIMITS.need);
  const timeValue = limit(times.join(', '), LEAD_DETAIL_LIMITS.preferredTime);
  if (nameValue) details.name = nameValue;
  if (needValue) details.need = needValue;
  if (timeValue) details.preferredTime = timeValue;
  return details;
}

/** Placeholder for a detail the customer did not give. */
const NOT_GIVEN = '—';

/** The owner's one-line summary of a lead, from the catalog. The phone is not part of it. */
export function summariseLeadByRules(lead: LeadToSummarise, language: Language): string {
  return t(language, 'lead.summary', {
    name: lead.name?.trim() || NOT_GIVEN,
    need: lead.need?.trim() || NOT_GIVEN,
    time: lead.preferredTime?.trim() || NOT_GIVEN,
  }).replace(/\s*\n\s*/g, ' ');
}

/** How a reply should sound for a star rating. */
export type ReviewTone = 'positive' | 'neutral' | 'negative';

/** 4–5 stars are positive, 3 neutral, 1–2 negative. */
export const reviewTone = (stars: number): ReviewTone => (stars >= 4 ? 'positive' : stars >= 3 ? 'neutral' : 'negative');

/** The reviewer's language, from the words of the review; the default when it has none. */
export const replyLanguageFor = (review: ReviewToAnswer): Language =>
  detectLanguage(review.comment ?? '') ?? review.defaultLanguage ?? 'he';

/** "Dan Cohen" → "Dan": a public reply addresses the reviewer by first name only. */
export const firstName = (displayName: string): string => words(displayName.trim())[0] ?? '';

/** Tidies a text filled with an empty name: "Thank you, , for" → "Thank you, for". */
function withoutEmptyName(text: string): string {
  return text
    .replace(/[\u2066-\u2068]\u2069/g, '')
    .replace(/ +([,،!])/g, '$1')
    .replace(/([,،])+/g, '$1')
    .replace(/^[,،] */gm, '')
    .replace(/ {2,}/g, ' ');
}

/** A reply to a review from the catalog's fallback texts: tone by stars, language by the review. */
export function writeReviewReplyByRules(review: ReviewToAnswer): ReviewReply {
  const language = replyLanguageFor(review);
  const vars = { reviewer: firstName(review.reviewerName), business: review.businessName };
  const tone = reviewTone(review.stars);
  let text: string;
  switch (tone) {
    case 'positive':
      text = t(language, 'reviewReply.positive', vars);
      break;
    case 'neutral':
      text = t(language, 'reviewReply.neutral', vars);
      break;
    case 'negative':
      text = t(language, 'reviewReply.negative', vars);
      break;
    default:
      tone satisfies never;
      throw new Error(`Unknown review tone ${String(tone)}`);
  }
  return { text: vars.reviewer ? text : withoutEmptyName(text), language };
}

/** The most kinds of work a template post names. */
const POST_KINDS_OF_WORK = 3;

/**
 * The built-in weekly post from the catalog's `posts.template.*` lines: greeting, this week's kinds
 * of work, thanks for good reviews, the holiday, and an invitation. A line built from customers'
 * words that fails the post check (a name, a phone) is left out, so the template always passes.
 */
export function writePostByRules(facts: PostFacts): string {
  const { language } = facts;
  const kinds = [...new Set(facts.kindsOfWork.map((k) => k.trim()).filter(Boolean))].slice(0, POST_KINDS_OF_WORK);
  const workLine = kinds.length ? t(language, 'posts.template.work', { kinds: kinds.join(', ') }) : null;
  const lines = (withWork: boolean) =>
    [
      t(language, 'posts.template.intro', { business: facts.businessName }),
      withWork ? workLine : null,
      facts.goodReviews.length ? t(language, 'posts.template.reviews') : null,
      facts.holiday ? t(language, 'posts.template.holiday', { holiday: facts.holiday }) : null,
      t(language, 'posts.template.outro'),
    ]
      .filter((line): line is string => line !== null)
      .join('\n');
  const check = (text: string) => checkPost(text, { language, inputs: [facts.businessName, ...kinds], withheld: facts.customerNames });
  const full = check(lines(true));
  return full.ok ? full.text : lines(false);
}

/** The deterministic `TextGenerator`: word lists and catalog texts, no network. */
export class RuleBasedTextGenerator implements TextGenerator {
  async extractLeadDetails(text: string, options: ExtractLeadDetailsOptions): Promise<LeadDetails> {
    return extractLeadDetailsByRules(text, options);
  }

  async summariseLead(lead: LeadToSummarise, language: Language): Promise<string> {
    return summariseLeadByRules(lead, language);
  }

  async writeReviewReply(review: ReviewToAnswer): Promise<ReviewReply> {
    return writeReviewReplyByRules(review);
  }

  async writePost(facts: PostFacts): Promise<string> {
    return writePostByRules(facts);
  }
}
