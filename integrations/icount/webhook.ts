/**
 * iCount document webhooks → Findo events. iCount's WebHook module posts "all the information about
 * the document" each time one is produced, as JSON by default or as form fields if the account's
 * webhook `method` is POST. Invoices, invoice-receipts and receipts become `document.issued`; every
 * other doctype is ignored.
 *
 * iCount's own help-centre example (https://www.icount.co.il/help/integration/webhooks/) posts a
 * top-level JSON **array** of documents, every value a string, the customer's name as `clientname`,
 * the phones in a nested `client` object (`phone`, `mobile`, local 0-prefixed) and the currency as
 * iCount's numeric code. Flat bodies with iCount's API parameter names are read too. iCount sends
 * no signature or secret; the path key is the only credential.
 */
import type { DocumentType, NormaliseResult } from '../events.ts';
import {
  asRecord,
  documentResult,
  parseIsraeliDate,
  pickCurrency,
  pickNumber,
  pickPhone,
  pickString,
  quarantine,
  unwrapJsonFormField,
  type WebhookRecord,
} from '../providers.ts';

// iCount doctypes (its v1 API's list).
const DOCUMENT_TYPES: Record<string, DocumentType> = {
  invoice: 'tax_invoice',
  invrec: 'invoice_receipt',
  receipt: 'receipt',
  refund: 'credit_note',
  deal: 'proforma',
  trec: 'donation_receipt',
  offer: 'quote',
  order: 'order',
};

/**
 * iCount's numeric currency codes. Only `5` is known from iCount's own material: its help-centre
 * example is a shekel document of an Israeli account carrying `"currency": "5"`. iCount's full code
 * table is not public; any other number is left unmapped (null) rather than guessed.
 */
export const ICOUNT_CURRENCY_CODES: Record<string, string> = { 5: 'ILS' };

/** At most this many documents are read from one array body. */
export const MAX_DOCUMENTS_PER_BODY = 100;

/**
 * Normalises one iCount webhook body: a single document, or an array of them, each its own event.
 *
 * Event id: `ic:<doctype>:<docnum>`, because `docnum` is sequential per doctype: invoice 1001 and
 * receipt 1001 are different documents. A manual re-send from iCount's document search repeats it.
 */
export function normaliseIcountWebhook(body: unknown, meta: { contentType: string; receivedAt: Date }): NormaliseResult[] {
  if (!Array.isArray(body)) return [normaliseIcountDocument(unwrapJsonFormField(asRecord(body)), body, meta)];
  if (body.length === 0) return [quarantine('icount', body, 'an empty array: no document in the body')];
  if (body.length > MAX_DOCUMENTS_PER_BODY) {
    return [quarantine('icount', body, `${body.length} documents in one body; at most ${MAX_DOCUMENTS_PER_BODY} are read`)];
  }
  return body.map((element, index) => {
    const result = normaliseIcountDocument(asRecord(element), element, meta);
    return result.ok ? result : { ...result, reason: `document [${index}]: ${result.reason}` };
  });
}

function normaliseIcountDocument(
  doc: WebhookRecord | null,
  body: unknown,
  meta: { contentType: string; receivedAt: Date },
): NormaliseResult {
  if (!doc) return quarantine('icount', body, 'not a document object');
  // `docType` and `doctype` are one alias: keys are read case-insensitively.
  const doctype = pickString(doc, 'doctype', 'doc_type')?.toLowerCase();
  const docnum = pickString(doc, 'docnum', 'doc_number');
  if (!doctype || !docnum) {
    const missing = [!doctype && 'doctype', !docnum && 'docnum'].filter(Boolean).join(', ');
    return quarantine('icount', body, `not an iCount document: missing ${missing}`);
  }
  const client = asRecord(doc.client) ?? {};
  const documentId = `${doctype}:${docnum}`;
  return documentResult('icount', `ic:${documentId}`, {
    documentId,
    documentNumber: docnum,
    documentType: DOCUMENT_TYPES[doctype] ?? 'other',
    providerDocumentType: doctype,
    customerName: pickString(doc, 'client_name', 'clientname') ?? pickString(client, 'client_name', 'clientname', 'name'),
    // WhatsApp reaches mobiles: the nested client's mobile comes before any other number.
    customerPhoneRaw:
      pickPhone(client, 'mobile', 'cell') ?? pickPhone(doc, 'mobile', 'cell', 'phone', 'client_phone') ?? pickPhone(client, 'phone'),
    customerEmails: pickString(doc, 'email', 'client_email') ?? pickString(client, 'email'),
    amount: pickNumber(doc, 'totalwithvat', 'total', 'sum'),
    // An Israeli account's documents are in shekels unless the document names another currency.
    currency: hasCurrency(doc) ? pickCurrency(doc, ['currency_code', 'currency'], ICOUNT_CURRENCY_CODES) : 'ILS',
    issuedAt: parseIsraeliDate(pickString(doc, 'doc_date', 'dateissued')) ?? meta.receivedAt,
  });
}

const hasCurrency = (doc: WebhookRecord) => pickString(doc, 'currency_code', 'currency') !== null;
