/**
 * Checks on everything a model writes before Findo uses it. A reply goes out under the business's
 * name, so a text that is empty, too long, in the wrong language, or carries a phone number, link
 * or e-mail address the model made up is rejected (and the caller falls back to the rules).
 */
import { detectLanguage } from '../language.ts';
import { stripIsolates } from '../texts/bidi.ts';
import type { Language } from '../texts/index.ts';
import { LOCAL_POST_SUMMARY_MAX_CHARS } from '../../integrations/google/local-posts.ts';
import { REVIEW_REPLY_MAX_BYTES } from '../../integrations/google/wire.ts';

/** The longest owner summary, in characters. */
export const OWNER_SUMMARY_MAX_CHARS = 300;

/** The verdict on a generated text: the cleaned text, or why it was rejected. */
export type CheckResult = { ok: true; text: string } | { ok: false; reason: string };

const PHONE = /\+?\d[\d\s().-]{5,}\d/g;
const URL = /\b(?:https?:\/\/|www\.)[^\s]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|il|co|biz|info|me|app)\b(?:\/[^\s]*)?/gi;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g;

const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * Phone numbers, links and e-mail addresses in `text` that do not appear in any of `inputs`.
 * A phone counts as present when its digits appear in an input's digits (so `052-765-4321` matches
 * `0527654321`); links and addresses compare case-insensitively.
 */
export function inventedContactDetails(text: string, inputs: readonly string[]): string[] {
  const inputText = inputs.join('\n').toLowerCase();
  const inputDigits = inputs.map(digitsOf);
  const withoutTrailingPunctuation = (found: string) => found.replace(/[.,;:!?)]+$/, '');
  const emails = (text.match(EMAIL) ?? []).map(withoutTrailingPunctuation);
  const withoutEmails = emails.reduce((rest, email) => rest.replace(email, ' '), text);
  const phones = (withoutEmails.match(PHONE) ?? []).filter((phone) => digitsOf(phone).length >= 7);
  const urls = (withoutEmails.match(URL) ?? []).map(withoutTrailingPunctuation);
  return [
    ...phones.filter((phone) => !inputDigits.some((digits) => digits.includes(digitsOf(phone)))),
    ...[...urls, ...emails].filter((found) => !inputText.includes(found.toLowerCase())),
  ];
}

interface CheckOptions {
  /** The language the text must be written in. */
  language: Language;
  /** Everything the model was given; contact details found there may be repeated. */
  inputs: readonly string[];
}

function checkCommon(raw: string, { language, inputs }: CheckOptions): CheckResult {
  const text = raw.trim();
  if (!stripIsolates(text).trim()) return { ok: false, reason: 'empty text' };
  const written = detectLanguage(text);
  if (written !== language) return { ok: false, reason: `written in ${written ?? 'no known language'}, expected ${language}` };
  const invented = inventedContactDetails(text, inputs);
  if (invented.length > 0) return { ok: false, reason: `contact details not in the input: ${invented.join(', ')}` };
  return { ok: true, text };
}

/**
 * A public reply to a review: non-empty, at most 4096 bytes, in `language`, no invented contact
 * details, and none of the `withheld` words (a reviewer's surname: a public reply says the first name only).
 */
export function checkReviewReply(raw: string, options: CheckOptions & { withheld?: readonly string[] }): CheckResult {
  const result = checkCommon(raw, options);
  if (!result.ok) return result;
  const lower = result.text.toLowerCase();
  const revealed = (options.withheld ?? []).filter((word) => lower.includes(word.toLowerCase()));
  if (revealed.length > 0) return { ok: false, reason: `private details: ${revealed.join(', ')}` };
  const bytes = Buffer.byteLength(result.text, 'utf8');
  if (bytes > REVIEW_REPLY_MAX_BYTES) return { ok: false, reason: `${bytes} bytes, over ${REVIEW_REPLY_MAX_BYTES}` };
  return result;
}

/** The owner's lead summary: one non-empty line of at most 300 characters, in `language`, no invented contact details. */
export function checkOwnerSummary(raw: string, options: CheckOptions): CheckResult {
  const result = checkCommon(raw, options);
  if (!result.ok) return result;
  if (/[\r\n]/.test(result.text)) return { ok: false, reason: 'more than one line' };
  if ([...result.text].length > OWNER_SUMMARY_MAX_CHARS) return { ok: false, reason: `longer than ${OWNER_SUMMARY_MAX_CHARS} characters` };
  return result;
}

/**
 * One extracted lead detail: a short single line with no invented contact details. Its language
 * is not checked (a Hebrew conversation may name "Dan" or "a plumber"); a name must appear in the
 * message itself, since a model that "finds" a name the customer never wrote is guessing.
 */
export function checkLeadDetail(
  raw: string,
  { field, maxChars, message }: { field: 'name' | 'need' | 'preferredTime'; maxChars: number; message: string },
): CheckResult {
  const text = raw.trim();
  if (!text) return { ok: false, reason: `${field}: empty` };
  if (/[\r\n]/.test(text)) return { ok: false, reason: `${field}: more than one line` };
  if ([...text].length > maxChars) return { ok: false, reason: `${field}: longer than ${maxChars} characters` };
  const invented = inventedContactDetails(text, [message]);
  if (invented.length > 0) return { ok: false, reason: `${field}: contact details not in the message: ${invented.join(', ')}` };
  if (field === 'name' && !message.toLowerCase().includes(text.toLowerCase())) {
    return { ok: false, reason: 'name: not in the message' };
  }
  return { ok: true, text };
}

/**
 * A public Google post: non-empty, at most 1,500 characters, in `language`, no phone number at all
 * (the post's call button dials the business), no invented links or e-mail addresses, and none of
 * the customers' names in `withheld`.
 */
export function checkPost(raw: string, options: CheckOptions & { withheld: readonly string[] }): CheckResult {
  const result = checkCommon(raw, options);
  if (!result.ok) return result;
  const phones = (result.text.match(PHONE) ?? []).filter((phone) => digitsOf(phone).length >= 7);
  if (phones.length > 0) return { ok: false, reason: `phone numbers: ${phones.join(', ')}` };
  const lower = result.text.toLowerCase();
  const named = options.withheld.filter((name) => name.trim().length >= 2 && lower.includes(name.trim().toLowerCase()));
  if (named.length > 0) return { ok: false, reason: `customer names: ${named.join(', ')}` };
  const chars = [...result.text].length;
  if (chars > LOCAL_POST_SUMMARY_MAX_CHARS) return { ok: false, reason: `${chars} characters, over ${LOCAL_POST_SUMMARY_MAX_CHARS}` };
  return result;
}
