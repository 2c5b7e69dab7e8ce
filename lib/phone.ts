/**
 * Phone numbers: everything Findo stores is E.164 (`+9725…`), parsed from any Israeli form.
 * Only mobiles can receive WhatsApp; Israeli landlines, VoIP and toll-free lines cannot.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isBusinessScopedUserId } from './whatsapp-user-id.ts';

export type PhoneKind = 'mobile' | 'landline' | 'voip' | 'toll_free' | 'other';

/** E.164 for any Israeli (or international, with `+`) form, or null when it is not a phone number. */
export function toE164(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const cleaned = raw.trim();
  if (!/\d/.test(cleaned) || cleaned.startsWith('*')) return null;
  const parsed = parsePhoneNumberFromString(cleaned, 'IL');
  if (!parsed) return null;
  // Israeli mobiles: accept every 05X number of the right length, even ranges the metadata calls
  // unallocated (carriers open new ranges faster than libphonenumber releases).
  if (/^\+9725\d{8}$/.test(parsed.number)) return parsed.number;
  return parsed.isValid() ? parsed.number : null;
}

/** What kind of line an E.164 number is. */
export function phoneKind(e164: string): PhoneKind {
  if (/^\+9725\d{8}$/.test(e164)) return 'mobile';
  const type = parsePhoneNumberFromString(e164)?.getType();
  switch (type) {
    case 'MOBILE':
    case 'FIXED_LINE_OR_MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    case 'VOIP':
      return 'voip';
    case 'TOLL_FREE':
    case 'SHARED_COST':
      return 'toll_free';
    default:
      return 'other';
  }
}

/** Whether WhatsApp can reach the number: Israeli numbers only when mobile; foreign ones are tried. */
export function isWhatsAppReachable(e164: string): boolean {
  if (e164.startsWith('+972')) return phoneKind(e164) === 'mobile';
  return phoneKind(e164) !== 'landline';
}

/** The number as people write it at home: `054-765-4321` for Israeli numbers, international otherwise. */
export function formatNational(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'IL' || e164.startsWith('+972') ? parsed.formatNational() : parsed.formatInternational();
}

/**
 * How an owner is shown a customer: the phone as people write it at home, or, for a user known only
 * by business-scoped user id, their WhatsApp profile name or username (the id means nothing to anyone).
 */
export function formatContact(address: string, name?: string | null): string {
  return isBusinessScopedUserId(address) ? name?.trim() || address : formatNational(address);
}

/** WhatsApp's `wa_id`/`to` form: the E.164 digits without `+`. */
export const toWhatsAppId = (e164: string): string => e164.replace(/^\+/, '');

/** E.164 from WhatsApp's `wa_id` form. */
export const fromWhatsAppId = (waId: string): string => (waId.startsWith('+') ? waId : `+${waId}`);

/**
 * Whether any string or number inside `data` (a raw webhook body, say) is the phone `e164`, in any
 * form a provider writes it: `052-765-4321`, `0527654321`, `972527654321`, `+972 52-765-4321`.
 */
export function mentionsPhone(data: unknown, e164: string): boolean {
  const national = parsePhoneNumberFromString(e164)?.nationalNumber;
  // Cheap first look: without its digits anywhere, no field can hold the number.
  if (
    !national ||
    !JSON.stringify(data ?? null)
      .replace(/\D/g, '')
      .includes(national)
  )
    return false;
  const isThePhone = (value: string) =>
    value.length <= 32 && (toE164(value) === e164 || (/^\d{11,15}$/.test(value) && toE164(`+${value}`) === e164));
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') return isThePhone(value);
    if (typeof value === 'number') return isThePhone(String(value));
    if (Array.isArray(value)) return value.some(visit);
    if (value && typeof value === 'object') return Object.values(value).some(visit);
    return false;
  };
  return visit(data);
}
