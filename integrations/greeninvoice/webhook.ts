/**
 * Greeninvoice (Morning) document webhooks → Findo events. Morning's dashboard webhook posts the
 * created document itself as the JSON body, with no envelope; invoices, receipts and
 * invoice-receipts become `document.issued`, every other document type is ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DocumentType, NormaliseResult } from '../events.ts';
import {
  asRecord,
  documentResult,
  ignore,
  instantAt,
  parseIsraeliDate,
  pickCurrency,
  pickNumber,
  pickPhone,
  pickString,
  quarantine,
  type WebhookRecord,
} from '../providers.ts';

// Morning's document type codes (official WooCommerce plugin enum and API numbering sample).
const DOCUMENT_TYPES: Record<number, DocumentType> = {
  10: 'quote',
  100: 'order',
  300: 'proforma',
  305: 'tax_invoice',
  320: 'invoice_receipt',
  330: 'credit_note',
  400: 'receipt',
  405: 'donation_receipt',
};

/**
 * Normalises one Morning webhook body. The webhook and the REST API name things differently
 * (`recipient`/`client`, `total`/`amount`, `date`/`documentDate`, `createdAt` ms/`creationDate` s);
 * both are read.
 *
 * Event ids: `gi:doc:<document id>` (a UUID, stable across retries and manual re-sends);
 * `gi:pay:<transaction_id>` for a payment-form notification, which is ignored because the
 * document webhook carries the same sale.
 */
export function normaliseGreeninvoiceWebhook(body: unknown, meta: { contentType: string; receivedAt: Date }): NormaliseResult {
  const doc = asRecord(body);
  if (!doc) return quarantine('greeninvoice', body, 'body is not a document object');
  const transactionId = pickString(doc, 'transaction_id');
  if (transactionId) {
    return ignore('greeninvoice', `gi:pay:${transactionId}`, 'payment notification (the document webhook carries the sale)');
  }
  const id = pickString(doc, 'id');
  const typeCode = pickNumber(doc, 'type');
  const number = pickString(doc, 'number');
  if (!id || typeCode === null || !number) {
    const missing = [!id && 'id', typeCode === null && 'type', !number && 'number'].filter(Boolean).join(', ');
    return quarantine('greeninvoice', body, `not a Morning document: missing ${missing}`);
  }
  const customer = asRecord(doc.recipient) ?? asRecord(doc.client) ?? {};
  return documentResult('greeninvoice', `gi:doc:${id}`, {
    documentId: id,
    documentNumber: number,
    documentType: DOCUMENT_TYPES[typeCode] ?? 'other',
    providerDocumentType: String(typeCode),
    customerName: pickString(customer, 'name'),
    customerPhoneRaw: pickPhone(customer, 'mobile', 'phone'),
    customerEmails: customer.emails,
    amount: pickNumber(doc, 'total', 'amount'),
    currency: pickCurrency(doc, ['currency']),
    issuedAt: issuedAt(doc) ?? meta.receivedAt,
  });
}

/** The creation instant when given (webhook `createdAt` in ms, API `creationDate` in s), else the document date at 00:00 in Israel. */
function issuedAt(doc: WebhookRecord): Date | null {
  const positive = (n: number | null) => (n !== null && n > 0 ? n : null);
  const createdAtMs = positive(pickNumber(doc, 'createdAt'));
  const creationDateSeconds = positive(pickNumber(doc, 'creationDate'));
  return (
    instantAt(createdAtMs) ??
    instantAt(creationDateSeconds === null ? null : creationDateSeconds * 1000) ??
    parseIsraeliDate(pickString(doc, 'date', 'documentDate'))
  );
}

/** The header a Morning webhook signature arrives in, as one integration observed it (Node lower-cases header names). */
export const GREENINVOICE_SIGNATURE_HEADER = 'x-webhook-signature';

/** The hex HMAC-SHA256 of a raw body under a tenant's Morning webhook secret: the expected `x-webhook-signature`. */
export function signGreeninvoiceBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Checks a Morning webhook's signature when the tenant has set a webhook secret in Morning:
 * `x-webhook-signature` must be `signGreeninvoiceBody(rawBody, secret)` (an optional `sha256=` prefix
 * is accepted). Without a secret there is nothing to check beyond the path key, and the answer is true.
 *
 * Evidence: Morning documents no webhook signature; one public integration reports verifying this
 * scheme live against Morning's sandbox, others guess other header names. Capture one real delivery
 * before giving a tenant a secret.
 */
export function authenticateGreeninvoice(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  secret?: string,
): boolean {
  if (!secret) return true;
  const header = headers[GREENINVOICE_SIGNATURE_HEADER];
  const signature = (Array.isArray(header) ? header[0] : header)
    ?.trim()
    .replace(/^sha256=/i, '')
    .toLowerCase();
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signGreeninvoiceBody(rawBody, secret), 'hex'), Buffer.from(signature, 'hex'));
}
