import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { DocumentIssuedEvent, NormaliseResult } from '../../../integrations/events.ts';
import { greeninvoiceDocument, greeninvoicePaymentNotification } from '../../../integrations/greeninvoice/fake.ts';
import {
  authenticateGreeninvoice,
  normaliseGreeninvoiceWebhook,
  signGreeninvoiceBody,
} from '../../../integrations/greeninvoice/webhook.ts';
import { postProviderWebhook } from '../../../integrations/providers.ts';

const RECEIVED_AT = new Date('2026-01-14T11:12:30Z');
const json = { contentType: 'application/json', receivedAt: RECEIVED_AT };
const DOCUMENT_ID = '5f0c2a7e-3b9d-4c61-9e2a-7d4b1c0e8f21';

function issued(result: NormaliseResult): DocumentIssuedEvent {
  if (!result.ok || result.event.kind !== 'document.issued') throw new Error(`expected document.issued, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('normaliseGreeninvoiceWebhook', () => {
  it('turns an invoice-receipt into document.issued with a clean customer', () => {
    const doc = greeninvoiceDocument({
      id: DOCUMENT_ID,
      createdAt: 1768389120000,
      recipient: { name: '  \u200Fדנה   לוי\u200E ', emails: ['Dana.Levi@Example.co.il'] },
    });
    expect(normaliseGreeninvoiceWebhook(doc, json)).toEqual({
      ok: true,
      eventId: `gi:doc:${DOCUMENT_ID}`,
      event: {
        kind: 'document.issued',
        provider: 'greeninvoice',
        documentId: DOCUMENT_ID,
        documentNumber: '41027',
        documentType: 'invoice_receipt',
        providerDocumentType: '320',
        customerName: 'דנה לוי',
        customerPhone: '+972547654321',
        customerPhoneRaw: '054-765-4321',
        customerEmail: 'dana.levi@example.co.il',
        amount: 500,
        currency: 'ILS',
        issuedAt: '2026-01-14T11:12:00.000Z',
      },
    });
  });

  it.each([
    [305, 'tax_invoice'],
    [320, 'invoice_receipt'],
    [400, 'receipt'],
  ])('issues type %i as %s', (type, documentType) => {
    expect(issued(normaliseGreeninvoiceWebhook(greeninvoiceDocument({ type }), json)).documentType).toBe(documentType);
  });

  it.each([
    [10, 'quote'],
    [100, 'order'],
    [200, 'other'],
    [300, 'proforma'],
    [330, 'credit_note'],
    [405, 'donation_receipt'],
    [600, 'other'],
  ])('ignores type %i (%s) under the document id', (type, documentType) => {
    const result = normaliseGreeninvoiceWebhook(greeninvoiceDocument({ id: DOCUMENT_ID, type }), json);
    expect(result).toMatchObject({
      ok: true,
      eventId: `gi:doc:${DOCUMENT_ID}`,
      event: { kind: 'ignored', provider: 'greeninvoice', reason: expect.stringContaining(documentType) },
    });
  });

  it.each(['054-765-4321', '0547654321', '972547654321', '+972 54 765 4321', '+972-54-7654321'])(
    'normalises the customer phone %s',
    (mobile) => {
      expect(issued(normaliseGreeninvoiceWebhook(greeninvoiceDocument({ recipient: { mobile } }), json)).customerPhone).toBe(
        '+972547654321',
      );
    },
  );

  it('prefers the mobile, falls back to the phone, and skips a mobile that is not a number', () => {
    const phoneOnly = greeninvoiceDocument({ recipient: { mobile: '', phone: '+972 54 765 4321' } });
    expect(issued(normaliseGreeninvoiceWebhook(phoneOnly, json))).toMatchObject({
      customerPhone: '+972547654321',
      customerPhoneRaw: '+972 54 765 4321',
    });
    const junkMobile = greeninvoiceDocument({ recipient: { mobile: 'אין', phone: '054-765-4321' } });
    expect(issued(normaliseGreeninvoiceWebhook(junkMobile, json)).customerPhone).toBe('+972547654321');
  });

  it('issues a document without any customer contact, with nulls', () => {
    const doc = greeninvoiceDocument({ recipient: { name: '', mobile: '', phone: '', emails: [] } });
    expect(issued(normaliseGreeninvoiceWebhook(doc, json))).toMatchObject({
      customerName: null,
      customerPhone: null,
      customerPhoneRaw: null,
      customerEmail: null,
    });
  });

  it('takes the first valid email address, lower-cased', () => {
    const doc = greeninvoiceDocument({ recipient: { emails: ['', 'not-an-email', 'YOSSI@Example.CO.IL'] } });
    expect(issued(normaliseGreeninvoiceWebhook(doc, json)).customerEmail).toBe('yossi@example.co.il');
  });

  it('reads a date-only document as midnight in Israel (winter and summer)', () => {
    const { createdAt: _c, ...winter } = greeninvoiceDocument({ date: '2026-01-14' });
    expect(issued(normaliseGreeninvoiceWebhook(winter, json)).issuedAt).toBe('2026-01-13T22:00:00.000Z');
    const { createdAt: _c2, ...summer } = greeninvoiceDocument({ date: '2026-07-14' });
    expect(issued(normaliseGreeninvoiceWebhook(summer, json)).issuedAt).toBe('2026-07-13T21:00:00.000Z');
  });

  it('reads the REST API names too (client, amount, documentDate, creationDate in seconds, number as text)', () => {
    const apiShaped = {
      id: DOCUMENT_ID,
      type: 305,
      number: '41027',
      documentDate: '2026-01-14',
      creationDate: 1768389120,
      amount: 1170,
      currency: 'usd',
      client: { name: 'יוסי כהן', phone: '972547654321', emails: ['yossi@example.co.il'] },
    };
    expect(issued(normaliseGreeninvoiceWebhook(apiShaped, json))).toMatchObject({
      documentNumber: '41027',
      customerName: 'יוסי כהן',
      customerPhone: '+972547654321',
      amount: 1170,
      currency: 'USD',
      issuedAt: '2026-01-14T11:12:00.000Z',
    });
  });

  it('falls back to the receipt time when the document carries no date at all', () => {
    const { createdAt: _c, date: _d, ...undated } = greeninvoiceDocument();
    expect(issued(normaliseGreeninvoiceWebhook(undated, json)).issuedAt).toBe(RECEIVED_AT.toISOString());
  });

  it('gives a re-delivered document the same event id', () => {
    const doc = greeninvoiceDocument();
    const again = normaliseGreeninvoiceWebhook(JSON.parse(JSON.stringify(doc)), { ...json, receivedAt: new Date() });
    expect(again.eventId).toBe(normaliseGreeninvoiceWebhook(doc, json).eventId);
  });

  it('ignores a payment-form notification (form fields) under its transaction id', () => {
    const notification = greeninvoicePaymentNotification({ transaction_id: '9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a' });
    const result = normaliseGreeninvoiceWebhook(notification, { ...json, contentType: 'application/x-www-form-urlencoded' });
    expect(result).toMatchObject({
      ok: true,
      eventId: 'gi:pay:9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a',
      event: { kind: 'ignored', provider: 'greeninvoice' },
    });
  });

  it.each([
    ['nothing', undefined],
    ['an array', [greeninvoiceDocument()]],
    ['an empty object', {}],
    ['a document without an id', { type: 320, number: 1 }],
    ['a document without a type', { id: DOCUMENT_ID, number: 1 }],
    ['a document with a word for a type', { id: DOCUMENT_ID, type: 'invoice', number: 1 }],
  ])('quarantines %s with a reason and a content-hash id', (_name, body) => {
    const result = normaliseGreeninvoiceWebhook(body, json);
    expect(result).toMatchObject({ ok: false, reason: expect.any(String) });
    expect(result.eventId).toMatch(/^greeninvoice:sha256:[0-9a-f]{64}$/);
    expect(normaliseGreeninvoiceWebhook(body, json).eventId).toBe(result.eventId);
  });
});

describe('authenticateGreeninvoice', () => {
  const rawBody = Buffer.from(JSON.stringify(greeninvoiceDocument()));
  const secret = 'tenant-morning-webhook-secret';
  const signature = signGreeninvoiceBody(rawBody, secret);

  it('accepts the HMAC-SHA256 of the raw body, bare or sha256= prefixed', () => {
    expect(authenticateGreeninvoice({ 'x-webhook-signature': signature }, rawBody, secret)).toBe(true);
    expect(authenticateGreeninvoice({ 'x-webhook-signature': `sha256=${signature.toUpperCase()}` }, rawBody, secret)).toBe(true);
    expect(authenticateGreeninvoice({ 'x-webhook-signature': [signature] }, rawBody, secret)).toBe(true);
  });

  it('refuses a missing, malformed or wrong signature, or a changed body', () => {
    expect(authenticateGreeninvoice({}, rawBody, secret)).toBe(false);
    expect(authenticateGreeninvoice({ 'x-webhook-signature': 'abc' }, rawBody, secret)).toBe(false);
    expect(authenticateGreeninvoice({ 'x-webhook-signature': signGreeninvoiceBody(rawBody, 'other') }, rawBody, secret)).toBe(false);
    const tampered = Buffer.concat([rawBody, Buffer.from(' ')]);
    expect(authenticateGreeninvoice({ 'x-webhook-signature': signature }, tampered, secret)).toBe(false);
  });

  it('has nothing to check beyond the path key when the tenant set no secret', () => {
    expect(authenticateGreeninvoice({}, rawBody)).toBe(true);
  });
});

describe('Morning documents over real HTTP', () => {
  it('arrive signed over the exact raw bytes, Hebrew included', async () => {
    const secret = 'tenant-morning-webhook-secret';
    const received: { verified: boolean; eventId: string }[] = [];
    const app = express();
    app.use(express.json({ verify: (req, _res, raw) => ((req as unknown as { rawBody: Buffer }).rawBody = raw) }));
    app.post('/webhooks/greeninvoice/:key', (req, res) => {
      const rawBody = (req as unknown as { rawBody: Buffer }).rawBody;
      const result = normaliseGreeninvoiceWebhook(req.body, { contentType: req.get('content-type') ?? '', receivedAt: new Date() });
      received.push({ verified: authenticateGreeninvoice(req.headers, rawBody, secret), eventId: result.eventId });
      res.json({ status: 'accepted', eventId: result.eventId });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/greeninvoice/tenant-key`;
      const doc = greeninvoiceDocument({ id: DOCUMENT_ID });
      const signature = signGreeninvoiceBody(JSON.stringify(doc), secret);
      const { status, json } = await postProviderWebhook(url, doc, { headers: { 'x-webhook-signature': signature } });
      expect(status).toBe(200);
      expect(json).toEqual({ status: 'accepted', eventId: `gi:doc:${DOCUMENT_ID}` });
      await postProviderWebhook(url, doc, { headers: { 'x-webhook-signature': signGreeninvoiceBody('{}', secret) } });
      expect(received).toEqual([
        { verified: true, eventId: `gi:doc:${DOCUMENT_ID}` },
        { verified: false, eventId: `gi:doc:${DOCUMENT_ID}` },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
