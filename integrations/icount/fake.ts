/**
 * Realistic iCount document webhooks for tests and the sandbox. iCount does not publish the body,
 * so this one uses its API's field names (the reference's likeliest keys). Send it with
 * `postProviderWebhook`, `{ form: true }` for an account whose webhook method is POST.
 */
import type { WebhookRecord } from '../providers.ts';

/** An iCount document as its webhook is expected to post it. */
export interface IcountDocument extends WebhookRecord {
  doctype: string;
  docnum: number;
  doc_date: string;
  client_name: string;
  phone: string;
  email: string;
  currency_code: string;
  totalwithvat: number;
}

/** A tax invoice-receipt (`invrec`) for יוסי כהן, phone 054-765-4321, dated today in Israel. */
export function icountDocument(overrides: Partial<IcountDocument> = {}): IcountDocument {
  return {
    doctype: 'invrec',
    docnum: 10234,
    doc_id: 'a91f3c',
    doc_date: new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Jerusalem' }),
    client_id: 5521,
    client_name: 'יוסי כהן',
    vat_id: '012345674',
    email: 'yossi.cohen@example.co.il',
    phone: '054-765-4321',
    currency_code: 'ILS',
    totalsum: 854.7,
    totalvat: 145.3,
    totalwithvat: 1000,
    items: [{ description: 'שירות חודשי', unitprice: 1000, quantity: 1 }],
    doc_url: 'https://app.icount.co.il/EXAMPLE',
    pdf_link: 'https://app.icount.co.il/EXAMPLE.pdf',
    ...overrides,
  };
}
