/**
 * What the three pushing providers (Voicenter, Greeninvoice/Morning, iCount) have in common: reading
 * their loosely typed webhook bodies, the quarantine id, cleaning customer fields, Israeli wall-clock
 * time, the F2 document rule, and a sender that posts a body the way these providers do.
 *
 * None of these providers has an API Findo calls: they push to us. So their "fake server" is a
 * realistic sender (`postProviderWebhook`) plus payload builders in each provider's `fake.ts`.
 */
import { utcOffsetMs } from '../lib/clock.ts';
import { createHash } from 'node:crypto';
import { toE164 } from '../lib/phone.ts';
import type { DocumentIssuedEvent, DocumentType, NormaliseResult, Provider } from './events.ts';

/** A parsed webhook body: a JSON object, or the fields of a form (every value a string). */
export type WebhookRecord = Record<string, unknown>;

/** The body as a plain object, or null for arrays, scalars and nothing. */
export function asRecord(value: unknown): WebhookRecord | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as WebhookRecord) : null;
}

/**
 * A form body that carries the whole payload as JSON in a single field: either `data={…}`, or a JSON
 * body sent with a form content type, which express.urlencoded turns into `{ '{…}': '' }`.
 * Anything else is returned as it is.
 */
export function unwrapJsonFormField(record: WebhookRecord | null): WebhookRecord | null {
  if (!record) return null;
  const entries = Object.entries(record);
  if (entries.length !== 1) return record;
  const [key, value] = entries[0];
  const candidate = typeof value === 'string' && value !== '' ? value : value === '' ? key : null;
  return (candidate ? parseJsonObject(candidate) : null) ?? record;
}

function parseJsonObject(text: string): WebhookRecord | null {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return null;
  }
}

/** The value under `alias`; keys are matched case-insensitively because providers' casing drifts between docs and deliveries. */
function readField(record: WebhookRecord, alias: string): unknown {
  if (Object.hasOwn(record, alias)) return record[alias];
  const lower = alias.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

/** The first alias holding a non-empty string or a number, trimmed, as a string. */
export function pickString(record: WebhookRecord, ...aliases: string[]): string | null {
  for (const alias of aliases) {
    const value = readField(record, alias);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** The first alias holding a number, or a numeric string (form bodies carry every number as text; `1,000.50` is read as 1000.5). */
export function pickNumber(record: WebhookRecord, ...aliases: string[]): number | null {
  for (const alias of aliases) {
    const value = readField(record, alias);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && /^\s*-?[\d,]*\.?\d+\s*$/.test(value)) return Number(value.replace(/[,\s]/g, ''));
  }
  return null;
}

/**
 * The first alias holding an ISO 4217 code, upper-cased, or a provider's numeric currency code that
 * `numericCodes` maps to one (iCount writes its own ids, e.g. `"5"`).
 */
export function pickCurrency(record: WebhookRecord, aliases: string[], numericCodes: Record<string, string> = {}): string | null {
  for (const alias of aliases) {
    const value = pickString(record, alias);
    if (value && /^[A-Za-z]{3}$/.test(value)) return value.toUpperCase();
    if (value && Object.hasOwn(numericCodes, value)) return numericCodes[value];
  }
  return null;
}

// JavaScript dates end at ±8.64e15 ms; a provider's `1e20` is no instant at all.
const LATEST_INSTANT_MS = 8.64e15;

/** The instant at `epochMs`, or null when the number is no representable date. */
export function instantAt(epochMs: number | null): Date | null {
  return epochMs !== null && Number.isFinite(epochMs) && Math.abs(epochMs) <= LATEST_INSTANT_MS ? new Date(epochMs) : null;
}

/** The first alias holding a phone that parses; failing that, the first non-empty one, so the raw value is kept. */
export function pickPhone(record: WebhookRecord, ...aliases: string[]): string | null {
  const present = aliases.map((alias) => pickString(record, alias)).filter((raw): raw is string => raw !== null);
  return present.find((raw) => toE164(raw) !== null) ?? present[0] ?? null;
}

// LRM, RLM, Arabic letter mark, embeddings/overrides and isolates: invisible, but they break comparisons.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A person's name trimmed, bidi control marks removed and inner whitespace collapsed; null when nothing is left. */
export function cleanName(raw: string | null): string | null {
  const cleaned = raw?.replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
  return cleaned || null;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The first valid address, lower-cased, from a string (possibly a `,`/`;` list) or an array of them. */
export function cleanEmail(raw: unknown): string | null {
  const candidates = Array.isArray(raw) ? raw : [raw];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    for (const part of candidate.replace(BIDI_CONTROLS, '').split(/[,;\s]+/)) {
      const email = part.toLowerCase();
      if (EMAIL_SHAPE.test(email)) return email;
    }
  }
  return null;
}

const ISRAEL_TIME_ZONE = 'Asia/Jerusalem';

/** How far Israeli clocks are ahead of UTC at the instant `epochMs`. */
function israelOffsetMs(epochMs: number): number {
  return utcOffsetMs(epochMs, ISRAEL_TIME_ZONE);
}

/**
 * The instant at which clocks in Israel show a wall-clock time, given as the epoch milliseconds that
 * time would have in UTC. Voicenter's `time` and every date-only document date need this.
 */
export function israelWallClockToInstant(wallClockAsUtcMs: number): Date {
  const firstGuess = wallClockAsUtcMs - israelOffsetMs(wallClockAsUtcMs);
  // Take the offset again at the guess: near a DST change the two differ by an hour.
  return new Date(wallClockAsUtcMs - israelOffsetMs(firstGuess));
}

/** Israeli wall-clock time at `at` (to the second), as the epoch milliseconds that time would have in UTC; the inverse of `israelWallClockToInstant`. */
export function israelWallClockAt(at: Date): number {
  const wholeSecond = Math.floor(at.getTime() / 1000) * 1000;
  return wholeSecond + israelOffsetMs(wholeSecond);
}

/** A date as invoicing systems write it (`2026-01-14`, `20260114`, optionally with `HH:mm[:ss]`), read as Israeli local time. */
export function parseIsraeliDate(raw: string | null): Date | null {
  const match = raw?.match(/^(\d{4})-?(\d{2})-?(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((n) => Number(n ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return israelWallClockToInstant(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** JSON with object keys sorted at every depth, so the same payload always hashes alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, (_key, v: unknown) => {
    const record = asRecord(v);
    return record
      ? Object.fromEntries(
          Object.keys(record)
            .sort()
            .map((k) => [k, record[k]]),
        )
      : v;
  });
}

/**
 * "Authenticated but not understood": the route stores the body under a content hash (so exact
 * re-deliveries collapse) and answers 202 for staff to inspect and replay.
 */
export function quarantine(provider: Provider, body: unknown, reason: string): NormaliseResult {
  const hex = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return { ok: false, eventId: `${provider}:sha256:${hex}`, reason };
}

/** An event that was understood but asks nothing of Findo. */
export function ignore(provider: Provider, eventId: string, reason: string): NormaliseResult {
  return { ok: true, eventId, event: { kind: 'ignored', provider, reason } };
}

/**
 * The document types F2 turns into review requests: invoice, invoice-receipt, receipt (spec §7).
 * Every other type is ignored; proforma and donation receipts, which the reference calls a per-tenant
 * opt-in, are ignored too until tenants have such a setting (raw events are kept, so they can be replayed).
 */
export const REVIEW_REQUEST_DOCUMENT_TYPES: ReadonlySet<DocumentType> = new Set(['tax_invoice', 'invoice_receipt', 'receipt']);

/** A provider's document, read but not yet cleaned. */
export interface DocumentFields {
  documentId: string;
  documentNumber: string;
  documentType: DocumentType;
  providerDocumentType: string;
  customerName: string | null;
  customerPhoneRaw: string | null;
  /** A string or an array of addresses, as the provider sends them. */
  customerEmails: unknown;
  amount: number | null;
  currency: string | null;
  issuedAt: Date;
}

/** A document webhook's result: `document.issued` for the F2 types, `ignored` for the rest. */
export function documentResult(provider: DocumentIssuedEvent['provider'], eventId: string, fields: DocumentFields): NormaliseResult {
  if (!REVIEW_REQUEST_DOCUMENT_TYPES.has(fields.documentType)) {
    return ignore(
      provider,
      eventId,
      `document type ${fields.providerDocumentType} (${fields.documentType}) is not an invoice, receipt or invoice-receipt`,
    );
  }
  const event: DocumentIssuedEvent = {
    kind: 'document.issued',
    provider,
    documentId: fields.documentId,
    documentNumber: fields.documentNumber,
    documentType: fields.documentType,
    providerDocumentType: fields.providerDocumentType,
    customerName: cleanName(fields.customerName),
    customerPhone: toE164(fields.customerPhoneRaw),
    customerPhoneRaw: fields.customerPhoneRaw,
    customerEmail: cleanEmail(fields.customerEmails),
    amount: fields.amount,
    currency: fields.currency,
    issuedAt: fields.issuedAt.toISOString(),
  };
  return { ok: true, eventId, event };
}

/** What a provider's webhook answered: the HTTP status and the body parsed as JSON (null when it is not JSON). */
export interface ProviderWebhookResponse {
  status: number;
  json: unknown;
}

/** Options of `postProviderWebhook`. */
export interface PostProviderWebhookOptions {
  /**
   * Send `application/x-www-form-urlencoded` the way Voicenter's and iCount's form modes do: numbers
   * as text, nested arrays and objects as JSON inside their field, UTF-8 percent-encoding.
   * Default: false, a UTF-8 JSON body.
   */
  form?: boolean;
  /** Extra request headers, e.g. a signature. */
  headers?: Record<string, string>;
}

/** Posts a provider's webhook body to `url` over real HTTP, as that provider would. */
export async function postProviderWebhook(
  url: string,
  body: WebhookRecord,
  options: PostProviderWebhookOptions = {},
): Promise<ProviderWebhookResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8',
      ...options.headers,
    },
    body: options.form ? new URLSearchParams(toFormFields(body)) : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (e.g. a plain-text error page): the status says enough.
  }
  return { status: response.status, json };
}

function toFormFields(body: WebhookRecord): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives reach String(): objects were JSON-encoded just before
      typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? ''),
    ]),
  );
}
