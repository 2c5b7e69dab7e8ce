import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationError } from '../../../integrations/errors.ts';
import { createWhatsAppClient, type WhatsAppPort } from '../../../integrations/whatsapp/client.ts';
import { startFakeWhatsApp, type FakeWhatsApp } from '../../../integrations/whatsapp/fake-server.ts';

const APP_SECRET = 'test-app-secret';
const TOKEN = 'EAAG-secret-access-token-123';
const PNID = '106540352242922';
const CUSTOMER = '+972547654321';

let fake: FakeWhatsApp;
let client: WhatsAppPort;

beforeAll(async () => {
  fake = await startFakeWhatsApp({ appSecret: APP_SECRET, token: TOKEN });
  client = createWhatsAppClient({ apiUrl: fake.url, apiVersion: 'v24.0', token: TOKEN, appSecret: APP_SECRET });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntegrationError);
  return error as IntegrationError;
}

describe('WhatsApp client against the fake Graph API', () => {
  it('sends a Hebrew text to the E.164 number and returns the wamid', async () => {
    const { messageId } = await client.sendText(PNID, CUSTOMER, 'שלום! איך נוכל לעזור?');

    expect(messageId).toMatch(/^wamid\./);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      phoneNumberId: PNID,
      to: CUSTOMER,
      type: 'text',
      text: 'שלום! איך נוכל לעזור?',
      messageId,
      token: TOKEN,
    });
    expect(fake.sent[0].request).toMatchObject({ messaging_product: 'whatsapp', to: CUSTOMER });
  });

  it('quotes the message it replies to', async () => {
    await client.sendText(PNID, CUSTOMER, 'תודה', { replyToMessageId: 'wamid.inbound1' });

    expect(fake.sent[0].replyToMessageId).toBe('wamid.inbound1');
  });

  it('sends interactive reply buttons', async () => {
    const buttons = [
      { id: 'approve:42', title: 'אשר' },
      { id: 'skip:42', title: 'דלג' },
      { id: 'edit:42', title: 'לקבוע תור למחר בבוקר' },
    ];
    const { messageId } = await client.sendButtons(PNID, CUSTOMER, 'טיוטת תגובה לביקורת', buttons, {
      replyToMessageId: 'wamid.q',
    });

    const sent = await fake.waitForSent((m) => m.messageId === messageId, 1000);
    expect(sent).toMatchObject({ type: 'interactive', text: 'טיוטת תגובה לביקורת', buttons, replyToMessageId: 'wamid.q' });
  });

  it('refuses more than three buttons or a title over 20 characters, permanently, without calling Graph', async () => {
    const four = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` }));
    expect((await failure(client.sendButtons(PNID, CUSTOMER, 'x', four))).kind).toBe('permanent');
    const long = [{ id: 'b', title: 'כותרת ארוכה מדי לכפתור אחד' }];
    expect((await failure(client.sendButtons(PNID, CUSTOMER, 'x', long))).kind).toBe('permanent');
    expect(fake.sent).toHaveLength(0);
  });

  it('sends a template with body parameters and quick-reply payloads', async () => {
    await client.sendTemplate(PNID, CUSTOMER, {
      name: 'findo_owner_alert',
      language: 'he',
      bodyParams: ['ליד חדש: דנה, 054-765-4321'],
      quickReplyPayloads: ['lead:1:call', 'lead:1:later'],
    });

    expect(fake.sent[0]).toMatchObject({
      type: 'template',
      template: {
        name: 'findo_owner_alert',
        language: 'he',
        bodyParams: ['ליד חדש: דנה, 054-765-4321'],
        quickReplyPayloads: ['lead:1:call', 'lead:1:later'],
      },
    });
  });

  it('sends a template without parameters', async () => {
    await client.sendTemplate(PNID, CUSTOMER, { name: 'findo_missed_call', language: 'ar', bodyParams: [] });

    expect(fake.sent[0].template).toEqual({ name: 'findo_missed_call', language: 'ar', bodyParams: [], quickReplyPayloads: [] });
  });

  it('marks an inbound message read', async () => {
    await client.markRead(PNID, 'wamid.in42');

    expect(fake.reads).toEqual([{ phoneNumberId: PNID, messageId: 'wamid.in42', token: TOKEN }]);
    expect(fake.sent).toHaveLength(0);
  });

  it('downloads media in two steps with the token, naming the number it came to', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addMedia('1037543291543636', bytes, 'image/jpeg', PNID);

    const media = await client.downloadMedia(PNID, '1037543291543636');

    expect(media.mimeType).toBe('image/jpeg');
    expect(media.data.equals(bytes)).toBe(true);
    expect(media.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(fake.mediaRequests.map((r) => [r.kind, r.status])).toEqual([
      ['lookup', 200],
      ['download', 200],
    ]);
  });

  it('reports unknown media as a permanent error', async () => {
    const error = await failure(client.downloadMedia(PNID, '404404'));
    expect(error.kind).toBe('permanent');
    expect(error.details.code).toBe(100);
  });

  it("refuses another number's media: Graph answers it as unknown", async () => {
    fake.addMedia('1037543291543637', Buffer.from('x'.repeat(20)), 'image/png', '999999999999999');
    const error = await failure(client.downloadMedia(PNID, '1037543291543637'));
    expect(error.kind).toBe('permanent');
    expect(error.details.code).toBe(100);
    expect(fake.mediaRequests).toEqual([{ kind: 'lookup', id: '1037543291543637', status: 400 }]);
  });

  it('a wrong token is refused (401, OAuth error 190) and never reaches the bytes', async () => {
    fake.addMedia('1037543291543638', Buffer.from('y'.repeat(20)), 'image/png', PNID);
    const stranger = createWhatsAppClient({ apiUrl: fake.url, apiVersion: 'v24.0', token: 'EAAG-wrong-token' });
    const error = await failure(stranger.downloadMedia(PNID, '1037543291543638'));
    expect(error.kind).toBe('permanent');
    expect(error.details.code).toBe(190);
    expect(error.message).not.toContain('EAAG-wrong-token');
    expect(fake.mediaRequests).toEqual([{ kind: 'lookup', id: '1037543291543638', status: 401 }]);
  });

  it('refuses a recipient that is not E.164', async () => {
    expect((await failure(client.sendText(PNID, '0547654321', 'hi'))).kind).toBe('permanent');
  });
});

describe('WhatsApp errors become IntegrationErrors by Meta code', () => {
  const cases: [code: number, kind: IntegrationError['kind']][] = [
    [131047, 'permanent'],
    [131026, 'permanent'],
    [131051, 'permanent'],
    [100, 'permanent'],
    [132000, 'permanent'],
    [190, 'permanent'],
    [130429, 'rate_limited'],
    [131056, 'rate_limited'],
    [80007, 'rate_limited'],
    [4, 'rate_limited'],
    [131000, 'transient'],
    [1, 'transient'],
    [2, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
  ];

  it.each(cases)('code %i is %s', async (code, kind) => {
    fake.failNext(code);

    const error = await failure(client.sendText(PNID, CUSTOMER, 'שלום'));

    expect(error.kind).toBe(kind);
    expect(error.details.provider).toBe('whatsapp');
    expect(error.details.code).toBe(code >= 500 && code < 600 ? 1 : code);
    expect(fake.sent).toHaveLength(0);
    expect(fake.rejected[0]?.errorCode).toBe(code);
  });

  it('a re-engagement error says what Meta said', async () => {
    fake.failNext(131047);
    const error = await failure(client.sendText(PNID, CUSTOMER, 'שלום'));
    expect(error.message).toContain('131047');
    expect(error.message).toContain('24 hours');
  });

  it('the pair rate limit carries Meta’s documented 6-second wait', async () => {
    fake.failNext(131056);
    expect((await failure(client.sendText(PNID, CUSTOMER, 'x'))).details.retryAfterMs).toBe(6_000);
  });

  it('a Retry-After header sets retryAfterMs', async () => {
    fake.failNext(130429, { retryAfterSeconds: 30 });
    expect((await failure(client.sendText(PNID, CUSTOMER, 'x'))).details.retryAfterMs).toBe(30_000);
  });

  it('a gateway page instead of JSON is transient (502) ', async () => {
    fake.failNext(502, { nonJson: true });
    const error = await failure(client.sendText(PNID, CUSTOMER, 'x'));
    expect(error.kind).toBe('transient');
    expect(error.details.code).toBe('http_502');
  });

  it('fails only as many times as asked, then sends', async () => {
    fake.failNext(131000, { times: 2 });
    await failure(client.sendText(PNID, CUSTOMER, 'x'));
    await failure(client.sendText(PNID, CUSTOMER, 'x'));
    await expect(client.sendText(PNID, CUSTOMER, 'x')).resolves.toHaveProperty('messageId');
  });

  it('mark-as-read errors are classified too', async () => {
    fake.failNext(130429);
    expect((await failure(client.markRead(PNID, 'wamid.x'))).kind).toBe('rate_limited');
  });

  it('an unreachable Graph is a transient network error', async () => {
    const offline = createWhatsAppClient({ apiUrl: 'http://127.0.0.1:9', token: TOKEN });
    const error = await failure(offline.sendText(PNID, CUSTOMER, 'x'));
    expect(error.kind).toBe('transient');
    expect(error.details.code).toBe('network');
  });

  it('a Graph that does not answer in time is a transient timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const slow = createWhatsAppClient({ apiUrl: `http://127.0.0.1:${port}`, token: TOKEN, timeoutMs: 100 });
      const error = await failure(slow.sendText(PNID, CUSTOMER, 'x'));
      expect(error).toMatchObject({ kind: 'transient', details: { code: 'network' } });
      expect(error.message).toContain('timed out');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('a wrong token is a permanent auth error (190)', async () => {
    const wrong = createWhatsAppClient({ apiUrl: fake.url, token: 'EAAG-wrong-token' });
    const error = await failure(wrong.sendText(PNID, CUSTOMER, 'x'));
    expect(error.kind).toBe('permanent');
    expect(error.details.code).toBe(190);
  });

  it('never puts the token in an error, even when the answer echoes it', async () => {
    fake.failNext(190, { message: `Invalid OAuth access token ${TOKEN}` });
    const echoed = await failure(client.sendText(PNID, CUSTOMER, 'x'));
    const offline = await failure(createWhatsAppClient({ apiUrl: 'http://127.0.0.1:9', token: TOKEN }).markRead(PNID, 'w'));

    for (const error of [echoed, offline]) {
      expect(error.message).not.toContain(TOKEN);
      expect(JSON.stringify(error.details)).not.toContain(TOKEN);
      expect(String(error.stack)).not.toContain(TOKEN);
    }
  });

  it('signs requests with appsecret_proof when the app secret is known', async () => {
    const wrongProof = createWhatsAppClient({ apiUrl: fake.url, token: TOKEN, appSecret: 'another-secret' });
    expect((await failure(wrongProof.sendText(PNID, CUSTOMER, 'x'))).details.code).toBe(100);
    await expect(client.sendText(PNID, CUSTOMER, 'x')).resolves.toHaveProperty('messageId');
  });
});
