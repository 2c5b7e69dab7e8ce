import { describe, expect, it } from 'vitest';
import type { DocumentIssuedEvent, NormaliseResult } from '../../../integrations/events.ts';
import { icountDocument } from '../../../integrations/icount/fake.ts';
import { normaliseIcountWebhook } from '../../../integrations/icount/webhook.ts';

const RECEIVED_AT = new Date('2026-01-14T11:12:30Z');
const json = { contentType: 'application/json', receivedAt: RECEIVED_AT };
const form = { contentType: 'application/x-www-form-urlencoded', receivedAt: RECEIVED_AT };

function issued(result: NormaliseResult): DocumentIssuedEvent {
  if (!result.ok || result.event.kind !== 'document.issued') throw new Error(`expected document.issued, got ${JSON.stringify(result)}`);
  return result.event;
}

/** The body as express.urlencoded({ extended: false }) hands over iCount's POST method: every value a string. */
function asFormFields(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives reach String(): objects were JSON-encoded just before
    Object.entries(body).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]),
  );
}

/** The result for a body holding one document. */
const normaliseOne = (...args: Parameters<typeof normaliseIcountWebhook>) => {
  const results = normaliseIcountWebhook(...args);
  expect(results).toHaveLength(1);
  return results[0];
};

describe('normaliseIcountWebhook', () => {
  it('turns an invoice-receipt into document.issued', () => {
    const doc = icountDocument({ doc_date: '2026-01-14', client_name: '\u202Bיוסי כהן\u202C ', email: ' Yossi.Cohen@Example.co.il' });
    expect(normaliseOne(doc, json)).toEqual({
      ok: true,
      eventId: 'ic:invrec:10234',
      event: {
        kind: 'document.issued',
        provider: 'icount',
        documentId: 'invrec:10234',
        documentNumber: '10234',
        documentType: 'invoice_receipt',
        providerDocumentType: 'invrec',
        customerName: 'יוסי כהן',
        customerPhone: '+972547654321',
        customerPhoneRaw: '054-765-4321',
        customerEmail: 'yossi.cohen@example.co.il',
        amount: 1000,
        currency: 'ILS',
        issuedAt: '2026-01-13T22:00:00.000Z',
      },
    });
  });

  it('reads the form (POST method) body exactly like the JSON one', () => {
    const doc = icountDocument();
    expect(normaliseOne(asFormFields(doc), form)).toEqual(normaliseOne(doc, json));
  });

  it('reads a JSON document posted inside a single form field', () => {
    const doc = icountDocument();
    expect(normaliseOne({ data: JSON.stringify(doc) }, form)).toEqual(normaliseOne(doc, json));
  });

  it.each([
    ['invoice', 'tax_invoice'],
    ['invrec', 'invoice_receipt'],
    ['receipt', 'receipt'],
  ])('issues doctype %s as %s', (doctype, documentType) => {
    expect(issued(normaliseOne(icountDocument({ doctype }), json)).documentType).toBe(documentType);
  });

  it.each([
    ['refund', 'credit_note'],
    ['offer', 'quote'],
    ['order', 'order'],
    ['deal', 'proforma'],
    ['trec', 'donation_receipt'],
    ['delcert', 'other'],
  ])('ignores doctype %s (%s) under its own id', (doctype, documentType) => {
    expect(normaliseOne(icountDocument({ doctype, docnum: 77 }), json)).toMatchObject({
      ok: true,
      eventId: `ic:${doctype}:77`,
      event: { kind: 'ignored', provider: 'icount', reason: expect.stringContaining(documentType) },
    });
  });

  it('keeps invoice 1001 and receipt 1001 apart', () => {
    const invoice = normaliseOne(icountDocument({ doctype: 'invoice', docnum: 1001 }), json);
    const receipt = normaliseOne(icountDocument({ doctype: 'receipt', docnum: 1001 }), json);
    expect([invoice.eventId, receipt.eventId]).toEqual(['ic:invoice:1001', 'ic:receipt:1001']);
  });

  it('accepts the other spellings of the document keys', () => {
    const { doctype: _t, docnum: _n, ...rest } = icountDocument();
    expect(normaliseOne({ ...rest, doc_type: 'invoice', doc_number: '55' }, json).eventId).toBe('ic:invoice:55');
    expect(normaliseOne({ ...rest, docType: 'INVOICE', docnum: 55 }, json).eventId).toBe('ic:invoice:55');
  });

  it.each(['054-765-4321', '0547654321', '972547654321', '+972 54 765 4321', '054 765 4321'])(
    'normalises the customer phone %s',
    (phone) => {
      expect(issued(normaliseOne(icountDocument({ phone }), json)).customerPhone).toBe('+972547654321');
    },
  );

  it('finds the phone under client_phone or mobile when phone is empty', () => {
    const { phone: _p, ...rest } = icountDocument();
    expect(issued(normaliseOne({ ...rest, client_phone: '', mobile: '972547654321' }, json)).customerPhone).toBe('+972547654321');
  });

  it('issues a document without a phone, with a null phone', () => {
    const { phone: _p, ...rest } = icountDocument();
    expect(issued(normaliseOne(rest, json))).toMatchObject({ customerPhone: null, customerPhoneRaw: null });
  });

  it('reads the v1 date form (YYYYMMDD) as midnight in Israel, and falls back to the receipt time', () => {
    const { doc_date: _d, ...rest } = icountDocument();
    expect(issued(normaliseOne({ ...rest, dateissued: '20260714' }, json)).issuedAt).toBe('2026-07-13T21:00:00.000Z');
    expect(issued(normaliseOne(rest, json)).issuedAt).toBe(RECEIVED_AT.toISOString());
  });

  it('reads amounts and currency through their aliases', () => {
    const { totalwithvat: _t, currency_code: _c, ...rest } = icountDocument();
    expect(issued(normaliseOne({ ...rest, total: '1,250.50', currency: 'usd' }, json))).toMatchObject({
      amount: 1250.5,
      currency: 'USD',
    });
    expect(issued(normaliseOne({ ...rest, currency: '5' }, json))).toMatchObject({ amount: null, currency: 'ILS' });
  });

  it('gives a manual re-send the same event id', () => {
    const doc = icountDocument();
    const resent = normaliseOne(asFormFields(doc), { ...form, receivedAt: new Date() });
    expect(resent.eventId).toBe(normaliseOne(doc, json).eventId);
  });

  it.each([
    ['nothing', undefined],
    ['a number', 42],
    ['an empty object', {}],
    ['a document without a doctype', { docnum: 10234, client_name: 'יוסי כהן' }],
    ['a document without a docnum', { doctype: 'invrec', totalwithvat: 1000 }],
  ])('quarantines %s with a reason and a content-hash id', (_name, body) => {
    const result = normaliseOne(body, json);
    expect(result).toMatchObject({ ok: false, reason: expect.any(String) });
    expect(result.eventId).toMatch(/^icount:sha256:[0-9a-f]{64}$/);
  });

  it("reads iCount's own array of documents: each document its own event with its own id", () => {
    const results = normaliseIcountWebhook(icountHelpCentreBody(), json);
    expect(results.map((r) => r.eventId)).toEqual(['ic:invrec:20001', 'ic:invoice:20002']);
    expect(issued(results[0])).toMatchObject({
      documentNumber: '20001',
      documentType: 'invoice_receipt',
      customerName: 'ישראל ישראלי',
      // The nested client's mobile, not its landline phone.
      customerPhone: '+972527654321',
      customerPhoneRaw: '0527654321',
      customerEmail: 'israel@example.co.il',
      amount: 1170,
      currency: 'ILS',
      issuedAt: '2026-01-13T22:00:00.000Z',
    });
    expect(issued(results[1])).toMatchObject({ documentType: 'tax_invoice', customerPhone: '+972547654321', currency: null });
  });

  it("falls back to the nested client's phone when it has no mobile", () => {
    const [first] = icountHelpCentreBody();
    const client = { ...(first.client as Record<string, string>), mobile: '' };
    expect(issued(normaliseOne({ ...first, client }, json))).toMatchObject({ customerPhone: '+97239876543' });
  });

  it('quarantines an empty array, and gives a bad element its own quarantine beside the good ones', () => {
    expect(normaliseOne([], json)).toMatchObject({ ok: false, reason: expect.stringContaining('empty array') });
    const [good] = icountHelpCentreBody();
    const results = normaliseIcountWebhook([good, 'junk'], json);
    expect(results[0]).toMatchObject({ ok: true, eventId: 'ic:invrec:20001' });
    expect(results[1]).toMatchObject({ ok: false, reason: expect.stringContaining('document [1]') });
  });
});

/**
 * Shaped after iCount's help-centre webhook example (https://www.icount.co.il/help/integration/webhooks/,
 * as issue 14 quotes it): a top-level array, every value a string, `clientname`, the phones in a
 * nested `client` (local, 0-prefixed) and iCount's numeric currency code. Values are made up.
 */
function icountHelpCentreBody(): Record<string, unknown>[] {
  return [
    {
      doctype: 'invrec',
      docnum: '20001',
      doc_date: '2026-01-14',
      clientname: 'ישראל ישראלי',
      client_id: '17',
      client: { client_name: 'ישראל ישראלי', phone: '03-9876543', mobile: '0527654321', email: 'israel@example.co.il' },
      email: 'israel@example.co.il',
      currency: '5',
      totalsum: '1000',
      totalvat: '170',
      totalwithvat: '1170',
    },
    {
      doctype: 'invoice',
      docnum: '20002',
      doc_date: '2026-01-14',
      clientname: 'דנה לוי',
      client_id: '18',
      client: { phone: '', mobile: '054-765-4321' },
      currency: '99',
      totalwithvat: '500',
    },
  ];
}
