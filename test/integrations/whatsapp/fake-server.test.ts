import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWhatsApp, type FakeWhatsApp } from '../../../integrations/whatsapp/fake-server.ts';
import { parseWhatsAppWebhook, verifyWhatsAppSignature } from '../../../integrations/whatsapp/webhook.ts';

const APP_SECRET = 'test-app-secret';
const PNID = '106540352242922';

let fake: FakeWhatsApp;
let receiver: Server;
let webhookUrl: string;
/** Raw bodies the receiver got, to check what Meta-like bytes look like. */
const received: Buffer[] = [];

/** A stand-in for Findo's route: verifies the raw body, parses it, answers the items. */
function startReceiver(): Promise<Server> {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a throw in a test fake should surface as an unhandled rejection
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    received.push(raw);
    const header = req.headers['x-hub-signature-256'];
    if (!verifyWhatsAppSignature(raw, typeof header === 'string' ? header : undefined, APP_SECRET)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad signature' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(parseWhatsAppWebhook(JSON.parse(raw.toString('utf8')))));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  fake = await startFakeWhatsApp({ appSecret: APP_SECRET });
  receiver = await startReceiver();
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/whatsapp`;
});
afterAll(async () => {
  await fake.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  fake.reset();
  received.length = 0;
});

describe('fake WhatsApp: signed webhooks to Findo', () => {
  it('delivers a Hebrew text as Meta does: escaped bytes, valid signature, parseable', async () => {
    const delivery = await fake.deliverInbound(webhookUrl, {
      phoneNumberId: PNID,
      from: '+972547654321',
      text: 'שלום, ראיתי שהתקשרתם https://x.co/a',
      profileName: 'דנה',
    });

    expect(delivery.status).toBe(200);
    expect(delivery.messageId).toMatch(/^wamid\./);
    expect(received[0].toString('utf8')).toMatch(/^[\x20-\x7e]+$/);
    expect(received[0].toString('utf8')).toContain('\\u05e9\\u05dc\\u05d5\\u05dd');
    expect(received[0].toString('utf8')).toContain('https:\\/\\/x.co\\/a');
    expect(delivery.body).toEqual({
      ok: true,
      items: [
        expect.objectContaining({
          kind: 'whatsapp.message',
          eventId: `wa:msg:${delivery.messageId}`,
          phoneNumberId: PNID,
          from: '+972547654321',
          profileName: 'דנה',
          type: 'text',
          text: 'שלום, ראיתי שהתקשרתם https://x.co/a',
        }),
      ],
    });
  });

  it('delivers a button reply quoting our message, and an image with caption', async () => {
    const button = await fake.deliverInbound(webhookUrl, {
      phoneNumberId: PNID,
      from: '972547654321',
      buttonReply: { id: 'approve:42', title: 'אשר' },
      contextMessageId: 'wamid.ours',
    });
    const image = await fake.deliverInbound(webhookUrl, {
      phoneNumberId: PNID,
      from: '972547654321',
      image: { id: 'media-1', mimeType: 'image/jpeg', caption: 'תמונה חדשה' },
    });

    expect(button.body).toMatchObject({
      ok: true,
      items: [{ type: 'interactive', text: 'אשר', replyId: 'approve:42', contextMessageId: 'wamid.ours' }],
    });
    expect(image.body).toMatchObject({
      ok: true,
      items: [{ type: 'image', text: 'תמונה חדשה', media: { id: 'media-1', mimeType: 'image/jpeg' } }],
    });
  });

  it('delivers statuses, a failed one with Meta’s error', async () => {
    const delivered = await fake.deliverStatus(webhookUrl, {
      phoneNumberId: PNID,
      messageId: 'wamid.out1',
      recipient: '+972547654321',
      status: 'delivered',
    });
    const failed = await fake.deliverStatus(webhookUrl, {
      phoneNumberId: PNID,
      messageId: 'wamid.out1',
      recipient: '+972547654321',
      status: 'failed',
      errors: [{ code: 131047, title: 'Re-engagement message' }],
    });

    expect(delivered.body).toMatchObject({ ok: true, items: [{ eventId: 'wa:status:wamid.out1:delivered', errors: [] }] });
    expect(failed.body).toMatchObject({
      ok: true,
      items: [
        { eventId: 'wa:status:wamid.out1:failed', recipient: '+972547654321', errors: [{ code: 131047, title: 'Re-engagement message' }] },
      ],
    });
  });

  it('builds a signed body once so a test can deliver the same event twice', async () => {
    const webhook = fake.signedInbound({ phoneNumberId: PNID, from: '+972547654321', text: 'כפול' });

    const [first, second] = await Promise.all([fake.deliver(webhookUrl, webhook), fake.deliver(webhookUrl, webhook)]);

    expect(received[0].equals(received[1])).toBe(true);
    expect(first.body).toEqual(second.body);
    expect(first.messageId).toBe(webhook.messageId);
  });

  it('a body signed with another secret is refused by the receiver', async () => {
    const other = await startFakeWhatsApp({ appSecret: 'another-secret' });
    try {
      const delivery = await other.deliverInbound(webhookUrl, { phoneNumberId: PNID, from: '+972547654321', text: 'x' });
      expect(delivery.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('fake WhatsApp: Graph API', () => {
  it('requires a Bearer token, answering Meta’s 190 error', async () => {
    const response = await fetch(`${fake.url}/v24.0/${PNID}/messages`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
  });

  it('answers a send with Meta’s success shape', async () => {
    const response = await fetch(`${fake.url}/v24.0/${PNID}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '+972547654321', type: 'text', text: { body: 'hi' } }),
    });

    expect(await response.json()).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+972547654321', wa_id: '972547654321' }],
      messages: [{ id: fake.sent[0].messageId }],
    });
  });

  it('answers failures with Meta’s error body', async () => {
    fake.failNext(131026);
    const response = await fetch(`${fake.url}/v24.0/${PNID}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '972547654321', type: 'text', text: { body: 'hi' } }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        message: '(#131026) Message Undeliverable',
        type: 'OAuthException',
        code: 131026,
        error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' },
        fbtrace_id: expect.any(String),
      },
    });
    expect(fake.rejected).toMatchObject([{ to: '+972547654321', errorCode: 131026 }]);
  });

  it('waitForSent resolves on a later send and rejects after its timeout', async () => {
    const waiting = fake.waitForSent((m) => m.text === 'later', 2000);
    await fetch(`${fake.url}/v24.0/${PNID}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '+972547654321', type: 'text', text: { body: 'later' } }),
    });

    await expect(waiting).resolves.toMatchObject({ text: 'later' });
    await expect(fake.waitForSent((m) => m.text === 'never', 50)).rejects.toThrow(/no matching message/);
  });
});
