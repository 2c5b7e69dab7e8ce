/**
 * Realistic Morning (Greeninvoice) webhook bodies for tests and the sandbox, shaped like the captured
 * document-created payload (the document itself, top level, JSON). Send them with `postProviderWebhook`.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookRecord } from '../providers.ts';

/** The customer block of a Morning document webhook. */
export interface GreeninvoiceRecipient extends WebhookRecord {
  id: string;
  name: string;
  phone: string;
  mobile: string;
  emails: string[];
}

/** A Morning document as its dashboard webhook posts it. */
export interface GreeninvoiceDocument extends WebhookRecord {
  id: string;
  type: number;
  number: number;
  businessId: string;
  currency: string;
  date: string;
  createdAt: number;
  total: number;
  recipient: GreeninvoiceRecipient;
}

/** Overrides of a document; `recipient` fields are merged into the default customer. */
export type GreeninvoiceDocumentOverrides = {
  [K in keyof GreeninvoiceDocument]?: K extends 'recipient' ? Partial<GreeninvoiceRecipient> : GreeninvoiceDocument[K];
};

/** A tax invoice-receipt (type 320) issued to דנה לוי, mobile 054-765-4321, just now. */
export function greeninvoiceDocument(overrides: GreeninvoiceDocumentOverrides = {}): GreeninvoiceDocument {
  const { recipient, ...fields } = overrides;
  const createdAt = fields.createdAt ?? Date.now();
  return {
    id: randomUUID(),
    type: 320,
    number: 41027,
    businessId: 'c3d9b0a2-1f4e-4a7b-8c55-0e6f2a9d7b13',
    businessType: 1,
    currency: 'ILS',
    country: 'IL',
    date: new Date(createdAt).toLocaleDateString('en-CA', { timeZone: 'Asia/Jerusalem' }),
    createdAt,
    subtotal: 427.35,
    taxableTotal: 427.35,
    vatTaxableTotal: 427.35,
    exemptTotal: 0,
    total: 500,
    tax: [],
    description: 'טיפול שיניים',
    remarks: '',
    rounding: false,
    reverseCharge: false,
    recipient: {
      id: '8a1e4d2c-6b7f-4e90-a3c1-5d2f9b8e7a60',
      name: 'דנה לוי',
      phone: '',
      mobile: '054-765-4321',
      emails: ['dana.levi@example.co.il'],
      address: 'הרצל 10',
      city: 'חיפה',
      zip: '',
      country: 'IL',
      department: '',
      ...recipient,
    },
    items: [{ description: 'בדיקה וניקוי', sku: '', quantity: 1, price: 500, currency: 'ILS', taxIncludedInPrice: true }],
    transactions: [{ id: randomUUID() }],
    files: {
      signed: true,
      downloadLinks: {
        he: 'https://www.greeninvoice.co.il/api/v1/documents/download?d=EXAMPLE',
        en: 'https://www.greeninvoice.co.il/api/v1/documents/download?d=EXAMPLE',
        origin: 'https://www.greeninvoice.co.il/api/v1/documents/download?d=EXAMPLE',
      },
    },
    ...fields,
  };
}

/** The payment-form notify callback (form fields) Morning sends for a sale made through its payment page. */
export function greeninvoicePaymentNotification(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    id: randomUUID(),
    type: '320',
    document_id: '41027',
    transaction_id: randomUUID(),
    ...overrides,
  };
}
