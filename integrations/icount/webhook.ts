/**
 * iCount document webhooks → Findo events. iCount's WebHook module posts "all the information about
 * the document" each time one is produced, as JSON by default or as form fields if the account's
 * webhook `method` is POST. Invoices, invoice-receipts and receipts become `document.issued`; every
 * other doctype is ignored.
 *
 * The body's keys are not publicly documented: the aliases below are iCount's API parameter names
 * plus names public client code reads. iCount sends no signature or secret; the path key is the only
 * credential.
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
 * Normalises one iCount document webhook.
 *
 * Event id: `ic:<doctype>:<docnum>`, because `docnum` is sequential per doctype: invoice 1001 and
 * receipt 1001 are different documents. A manual re-send from iCount's document search repeats it.
 */
export function normaliseIcountWebhook(
  body: unknown,
  meta: { contentType: string; receivedAt: Date },
): NormaliseResult {
  const doc = unwrapJsonFormField(asRecord(body));
  if (!doc) return quarantine('icount', body, 'body is not a document object');
  // `docType` and `doctype` are one alias: keys are read case-insensitively.
  const doctype = pickString(doc, 'doctype', 'doc_type')?.toLowerCase();
  const docnum = pickString(doc, 'docnum', 'doc_number');
  if (!doctype || !docnum) {
    const missing = [!doctype && 'doctype', !docnum && 'docnum'].filter(Boolean).join(', ');
    return quarantine('icount', body, `not an iCount document: missing ${missing}`);
  }
  const documentId = `${doctype}:${docnum}`;
  return documentResult('icount', `ic:${documentId}`, {
    documentId,
    documentNumber: docnum,
    documentType: DOCUMENT_TYPES[doctype] ?? 'other',
    providerDocumentType: doctype,
    customerName: pickString(doc, 'client_name', 'clientname'),
    customerPhoneRaw: pickPhone(doc, 'phone', 'client_phone', 'mobile', 'cell'),
    customerEmails: pickString(doc, 'email', 'client_email'),
    amount: pickNumber(doc, 'totalwithvat', 'total', 'sum'),
    // An Israeli account's documents are in shekels unless the document names another currency.
    currency: pickCurrency(doc, 'currency_code', 'currency') ?? 'ILS',
    issuedAt: parseIsraeliDate(pickString(doc, 'doc_date', 'dateissued')) ?? meta.receivedAt,
  });
}
