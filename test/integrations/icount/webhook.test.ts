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
    Object.entries(body).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]),
  );
}

describe('normaliseIcountWebhook', () => {
  it('turns an invoice-receipt into document.issued', () => {
    const doc = icountDocument({ doc_date: '2026-01-14', client_name: '\u202Bיוסי כהן\u202C ', email: ' Yossi.Cohen@Example.co.il' });
    expect(normaliseIcountWebhook(doc, json)).toEqual({
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
    expect(normaliseIcountWebhook(asFormFields(doc), form)).toEqual(normaliseIcountWebhook(doc, json));
  });

  it('reads a JSON document posted inside a single form field', () => {
    const doc = icountDocument();
    expect(normaliseIcountWebhook({ data: JSON.stringify(doc) }, form)).toEqual(normaliseIcountWebhook(doc, json));
  });

  it.each([
    ['invoice', 'tax_invoice'],
    ['invrec', 'invoice_receipt'],
    ['receipt', 'receipt'],
  ])('issues doctype %s as %s', (doctype, documentType) => {
    expect(issued(normaliseIcountWebhook(icountDocument({ doctype }), json)).documentType).toBe(documentType);
  });

  it.each([
    ['refund', 'credit_note'],
    ['offer', 'quote'],
    ['order', 'order'],
    ['deal', 'proforma'],
    ['trec', 'donation_receipt'],
    ['delcert', 'other'],
  ])('ignores doctype %s (%s) under its own id', (doctype, documentType) => {
    expect(normaliseIcountWebhook(icountDocument({ doctype, docnum: 77 }), json)).toMatchObject({
      ok: true,
      eventId: `ic:${doctype}:77`,
      event: { kind: 'ignored', provider: 'icount', reason: expect.stringContaining(documentType) },
    });
  });

  it('keeps invoice 1001 and receipt 1001 apart', () => {
    const invoice = normaliseIcountWebhook(icountDocument({ doctype: 'invoice', docnum: 1001 }), json);
    const receipt = normaliseIcountWebhook(icountDocument({ doctype: 'receipt', docnum: 1001 }), json);
    expect([invoice.eventId, receipt.eventId]).toEqual(['ic:invoice:1001', 'ic:receipt:1001']);
  });

  it('accepts the other spellings of the document keys', () => {
    const { doctype: _t, docnum: _n, ...rest } = icountDocument();
    expect(normaliseIcountWebhook({ ...rest, doc_type: 'invoice', doc_number: '55' }, json).eventId).toBe('ic:invoice:55');
    expect(normaliseIcountWebhook({ ...rest, docType: 'INVOICE', docnum: 55 }, json).eventId).toBe('ic:invoice:55');
  });

  it.each(['054-765-4321', '0547654321', '972547654321', '+972 54 765 4321', '054 765 4321'])(
    'normalises the customer phone %s',
    (phone) => {
      expect(issued(normaliseIcountWebhook(icountDocument({ phone }), json)).customerPhone).toBe('+972547654321');
    },
  );

  it('finds the phone under client_phone or mobile when phone is empty', () => {
    const { phone: _p, ...rest } = icountDocument();
    expect(issued(normaliseIcountWebhook({ ...rest, client_phone: '', mobile: '972547654321' }, json)).customerPhone).toBe(
      '+972547654321',
    );
  });

  it('issues a document without a phone, with a null phone', () => {
    const { phone: _p, ...rest } = icountDocument();
    expect(issued(normaliseIcountWebhook(rest, json))).toMatchObject({ customerPhone: null, customerPhoneRaw: null });
  });

  it('reads the v1 date form (YYYYMMDD) as midnight in Israel, and falls back to the receipt time', () => {
    const { doc_date: _d, ...rest } = icountDocument();
    expect(issued(normaliseIcountWebhook({ ...rest, dateissued: '20260714' }, json)).issuedAt).toBe('2026-07-13T21:00:00.000Z');
    expect(issued(normaliseIcountWebhook(rest, json)).issuedAt).toBe(RECEIVED_AT.toISOString());
  });

  it('reads amounts and currency through their aliases', () => {
    const { totalwithvat: _t, currency_code: _c, ...rest } = icountDocument();
    expect(issued(normaliseIcountWebhook({ ...rest, total: '1,250.50', currency: 'usd' }, json))).toMatchObject({
      amount: 1250.5,
      currency: 'USD',
    });
    expect(issued(normaliseIcountWebhook({ ...rest, currency: '5' }, json))).toMatchObject({ amount: null, currency: 'ILS' });
  });

  it('gives a manual re-send the same event id', () => {
    const doc = icountDocument();
    const resent = normaliseIcountWebhook(asFormFields(doc), { ...form, receivedAt: new Date() });
    expect(resent.eventId).toBe(normaliseIcountWebhook(doc, json).eventId);
  });

  it.each([
    ['nothing', undefined],
    ['a number', 42],
    ['an empty object', {}],
    ['a document without a doctype', { docnum: 10234, client_name: 'יוסי כהן' }],
    ['a document without a docnum', { doctype: 'invrec', totalwithvat: 1000 }],
  ])('quarantines %s with a reason and a content-hash id', (_name, body) => {
    const result = normaliseIcountWebhook(body, json);
    expect(result).toMatchObject({ ok: false, reason: expect.any(String) });
    expect(result.eventId).toMatch(/^icount:sha256:[0-9a-f]{64}$/);
  });
});
