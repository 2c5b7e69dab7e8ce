/**
 * GET and POST /webhooks/whatsapp over real HTTP: Meta's handshake, signed deliveries (Hebrew
 * included), the §4 outcome table, deliveries with several items, routing by phone_number_id,
 * duplicate deliveries, and delivery statuses updating our outbound records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityModel, EventModel, MessageModel, TenantModel, UNROUTED_TENANT, type Tenant } from '../../../bot/db/models/index.ts';
import { sendMessage } from '../../../bot/outbound/sender.ts';
import { replayEvent } from '../../../jobs/process-event.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, VERIFY_TOKEN, type Harness } from '../../support/harness.ts';

let harness: Harness;
let tenant: Tenant;
let webhookUrl: string;
let seq = 0;
/** How many messages the bot sends back for one first message from a new customer (measured once). */
let repliesToOneMessage = 0;

const freshMobile = () => `+97253${String(1_000_000 + ++seq).slice(-7)}`;
const countAll = () => EventModel.countDocuments({}).setOptions({ allTenants: true });
const sentTo = (phone: string) => harness.whatsapp.sent.filter((m) => m.to === phone);
const inboundRecords = (messageId: string) => MessageModel.find({ tenantId: tenant.id, key: `in:${messageId}` });
const eventFor = (eventId: string, tenantId = tenant.id) => EventModel.findOne({ tenantId, provider: 'whatsapp', eventId });
const settle = (ms = 700) => new Promise((r) => setTimeout(r, ms));

/** An inbound message is fully handled once its record is stamped. */
const handled = (messageId: string) =>
  eventually(
    async () => (await MessageModel.findOne({ tenantId: tenant.id, key: `in:${messageId}` }))?.statusAt,
    10_000,
    `message ${messageId} handled`,
  );

/** A Meta notification with the given `value`s, one change each. */
const envelope = (...values: Record<string, unknown>[]) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: values.map((value) => ({ field: 'messages', value })) }],
});

function textMessage(from: string, id: string, body: string) {
  return { from: from.replace('+', ''), id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } };
}

function post(body: string | Buffer, headers: Record<string, string>) {
  return fetch(webhookUrl, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

/** Sends a template to a fresh customer so there is an outbound record with a wamid. */
async function sentMessage(phone = freshMobile()) {
  const outcome = await sendMessage(harness.findo.services, {
    tenantId: tenant.id,
    phone,
    audience: 'customer',
    idempotencyKey: `status-test:${++seq}`,
    content: { kind: 'template', name: 'findo_missed_call', vars: { business: tenant.name } },
  });
  expect(outcome.status).toBe('sent');
  return { phone, waMessageId: outcome.waMessageId!, ref: outcome.messageRef };
}

const outboundStatus = async (ref: string) => (await MessageModel.findOne({ tenantId: tenant.id, _id: ref }))!;

beforeAll(async () => {
  harness = await startHarness(import.meta.filename);
  ({ tenant } = await harness.createTenant());
  webhookUrl = `${harness.url}/webhooks/whatsapp`;
});

afterAll(async () => {
  await harness?.stop();
});

describe('GET /webhooks/whatsapp (Meta’s verification handshake)', () => {
  it('answers 200 with hub.challenge as the body when the verify token matches', async () => {
    const response = await fetch(`${webhookUrl}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it('answers 403 for a wrong token, a wrong mode or no parameters', async () => {
    for (const query of [
      `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      '',
    ]) {
      const response = await fetch(`${webhookUrl}?${query}`);
      expect(response.status, query).toBe(403);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('a signed inbound message is answered 200 accepted, stored under its tenant and handled', async () => {
    const phone = freshMobile();
    const delivery = await harness.whatsapp.deliverInbound(webhookUrl, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: phone,
      text: 'hi, I need a plumber',
    });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ status: 'accepted', eventId: `wa:msg:${delivery.messageId}` });
    const event = await eventFor(`wa:msg:${delivery.messageId}`);
    expect(event).not.toBeNull();
    await handled(delivery.messageId);
    await eventually(async () => (await eventFor(`wa:msg:${delivery.messageId}`))?.status === 'processed');
    expect(await inboundRecords(delivery.messageId)).toHaveLength(1);
    await harness.whatsapp.waitForSent((m) => m.to === phone);
    await settle(1_000);
    repliesToOneMessage = sentTo(phone).length;
    expect(repliesToOneMessage).toBeGreaterThan(0);
  });

  it('a Hebrew message signed over Meta’s escaped bytes is accepted and stored as the customer wrote it', async () => {
    const text = 'שלום, יש לי נזילה במטבח — אפשר הצעת מחיר? 🙏';
    const signed = harness.whatsapp.signedInbound({ phoneNumberId: BUSINESS_NUMBER_ID, from: freshMobile(), text, profileName: 'דנה לוי' });
    expect(signed.rawBody.toString('utf8')).toContain('\\u05e9'); // Meta escapes non-ASCII
    const delivery = await harness.whatsapp.deliver(webhookUrl, signed);
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ status: 'accepted' });
    await handled(signed.messageId);
    const [record] = await inboundRecords(signed.messageId);
    expect(record.text).toBe(text);
  });

  it('a bad or missing signature is answered 401 and nothing is stored', async () => {
    const before = await countAll();
    const signed = harness.whatsapp.signedInbound({ phoneNumberId: BUSINESS_NUMBER_ID, from: freshMobile(), text: 'hello' });
    const tampered = Buffer.from(signed.rawBody.toString('utf8').replace('hello', 'hellO'));
    const cases: Record<string, string>[] = [
      { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature },
      { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) },
      { 'content-type': 'application/json', 'x-hub-signature-256': 'sha1=abc' },
      { 'content-type': 'application/json' },
    ];
    for (const headers of cases) {
      const body = headers['x-hub-signature-256'] === signed.signature ? tampered : signed.rawBody;
      const response = await post(body, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
    expect(await countAll()).toBe(before);
  });

  it('a body that is not JSON is answered 415, malformed JSON 400, over 1 MB 413, and nothing is stored', async () => {
    const before = await countAll();
    const form = await post('a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ error: expect.any(String) });

    const brokenBody = '{"object":"whatsapp_business_account",';
    const broken = await post(brokenBody, {
      'content-type': 'application/json',
      'x-hub-signature-256': harness.whatsapp.signBytes(Buffer.from(brokenBody)),
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: expect.any(String) });

    const big = harness.whatsapp.signPayload({ ...envelope(), padding: 'x'.repeat(1_100_000) });
    const tooLarge = await post(big.rawBody, { 'content-type': 'application/json', 'x-hub-signature-256': big.signature });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ error: expect.any(String) });
    expect(await countAll()).toBe(before);
  });

  it('a signed payload that is not understood is answered 202 quarantined with a reason and stored for staff', async () => {
    const signed = harness.whatsapp.signPayload({ object: 'page', entry: [{ id: '1', changes: [] }], n: ++seq });
    const response = await post(signed.rawBody, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { status: string; reason: string; eventId: string };
    expect(body).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('page') });
    const stored = await eventFor(body.eventId, UNROUTED_TENANT);
    expect(stored?.status).toBe('quarantined');
    // The same bytes again are a duplicate, not a second record.
    const again = await post(signed.rawBody, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', eventId: body.eventId });
  });

  it('a message for an unknown phone_number_id is quarantined (stored, not processed) and replays once the number is routed', async () => {
    const otherNumberId = '999000111222333';
    const phone = freshMobile();
    const delivery = await harness.whatsapp.deliverInbound(webhookUrl, { phoneNumberId: otherNumberId, from: phone, text: 'hello?' });
    expect(delivery.status).toBe(202);
    expect(delivery.body).toMatchObject({ status: 'quarantined', reason: expect.stringContaining(otherNumberId) });
    const stored = await eventFor(`wa:msg:${delivery.messageId}`, UNROUTED_TENANT);
    expect(stored?.status).toBe('quarantined');
    await settle();
    expect(sentTo(phone)).toHaveLength(0);

    // Staff give the number to a tenant and replay: the message reaches that tenant, once.
    const { createTenant } = await import('../../../bot/tenants.ts');
    const { setTenantSettings } = await import('../../../bot/tenants.ts');
    const created = await createTenant(
      { name: 'Second Business', ownerPhones: ['052-111-2233'], whatsappNumberId: otherNumberId },
      harness.findo.services.vault,
    );
    await setTenantSettings(created.tenant, ['quietHours=off', 'observeShabbat=false'], harness.findo.services.vault);
    await replayEvent(UNROUTED_TENANT, stored!.id);
    await eventually(
      () => MessageModel.findOne({ tenantId: created.tenant.id, key: `in:${delivery.messageId}`, statusAt: { $exists: true } }),
      10_000,
      'replayed message handled by the new tenant',
    );
    await harness.whatsapp.waitForSent((m) => m.to === phone && m.phoneNumberId === otherNumberId);
    await TenantModel.updateOne({ _id: created.tenant.id }, { $set: { disabled: true } });
  });

  it('one delivery with several messages and statuses stores and handles each item once', async () => {
    const a = freshMobile();
    const b = freshMobile();
    const out = await sentMessage();
    const idA = `wamid.multi-a-${++seq}`;
    const idB = `wamid.multi-b-${seq}`;
    const metadata = { display_phone_number: '97233760000', phone_number_id: BUSINESS_NUMBER_ID };
    const payload = envelope(
      {
        messaging_product: 'whatsapp',
        metadata,
        contacts: [{ wa_id: a.slice(1), profile: { name: 'A' } }],
        messages: [textMessage(a, idA, 'first')],
      },
      {
        messaging_product: 'whatsapp',
        metadata,
        contacts: [{ wa_id: b.slice(1), profile: { name: 'B' } }],
        messages: [textMessage(b, idB, 'second')],
        statuses: [
          { id: out.waMessageId, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: out.phone.slice(1) },
        ],
      },
    );
    const signed = harness.whatsapp.signPayload(payload);
    const response = await post(signed.rawBody, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; eventIds: string[] };
    expect(body.status).toBe('accepted');
    expect(body.eventIds.sort()).toEqual([`wa:msg:${idA}`, `wa:msg:${idB}`, `wa:status:${out.waMessageId}:delivered`].sort());
    await handled(idA);
    await handled(idB);
    await eventually(async () => (await outboundStatus(out.ref)).status === 'delivered', 10_000, 'status applied');
    await harness.whatsapp.waitForSent((m) => m.to === a);
    await harness.whatsapp.waitForSent((m) => m.to === b);

    // Meta re-sends the whole delivery: every item is a duplicate.
    const again = await post(signed.rawBody, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
  });
});

describe('duplicate WhatsApp deliveries', () => {
  it('the same message delivered 5 times concurrently makes one message record and one reply', async () => {
    const phone = freshMobile();
    const signed = harness.whatsapp.signedInbound({ phoneNumberId: BUSINESS_NUMBER_ID, from: phone, text: 'אני צריך אינסטלטור' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => harness.whatsapp.deliver(webhookUrl, signed)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => (a.body as { status: string }).status).sort()).toEqual([
      'accepted',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    await handled(signed.messageId);
    await harness.whatsapp.waitForSent((m) => m.to === phone);
    await settle(1_000);
    expect(await EventModel.countDocuments({ tenantId: tenant.id, eventId: `wa:msg:${signed.messageId}` })).toBe(1);
    expect(await inboundRecords(signed.messageId)).toHaveLength(1);
    expect(sentTo(phone)).toHaveLength(repliesToOneMessage);
  });

  it('a message delivered again later, and a replay of its processed event, send nothing more', async () => {
    const phone = freshMobile();
    const signed = harness.whatsapp.signedInbound({ phoneNumberId: BUSINESS_NUMBER_ID, from: phone, text: 'need a quote' });
    await harness.whatsapp.deliver(webhookUrl, signed);
    await handled(signed.messageId);
    await harness.whatsapp.waitForSent((m) => m.to === phone);
    const event = await eventually(async () => {
      const e = await eventFor(`wa:msg:${signed.messageId}`);
      return e?.status === 'processed' && e;
    });
    const later = await harness.whatsapp.deliver(webhookUrl, signed);
    expect(later.body).toMatchObject({ status: 'duplicate' });

    await settle(1_000);
    const before = sentTo(phone).length;
    expect(before).toBe(repliesToOneMessage);
    await replayEvent(tenant.id, event.id);
    await eventually(async () => (await eventFor(`wa:msg:${signed.messageId}`))?.attempts === 2, 20_000, 'replay processed');
    await settle();
    expect(await inboundRecords(signed.messageId)).toHaveLength(1);
    expect(sentTo(phone)).toHaveLength(before);
  });
});

describe('delivery statuses', () => {
  it('move the outbound record sent → delivered → read, and a late "delivered" after "read" does not regress it', async () => {
    const out = await sentMessage();
    const deliver = (status: 'sent' | 'delivered' | 'read') =>
      harness.whatsapp.deliverStatus(webhookUrl, {
        phoneNumberId: BUSINESS_NUMBER_ID,
        messageId: out.waMessageId,
        recipient: out.phone,
        status,
      });
    expect((await outboundStatus(out.ref)).status).toBe('sent');

    await deliver('delivered');
    await eventually(async () => (await outboundStatus(out.ref)).status === 'delivered', 10_000, 'delivered');
    const read = await deliver('read');
    expect(read.body).toMatchObject({ status: 'accepted', eventId: `wa:status:${out.waMessageId}:read` });
    await eventually(async () => (await outboundStatus(out.ref)).status === 'read', 10_000, 'read');

    // Meta's "sent" arrives last of all: processed, and the record stays read.
    await deliver('sent');
    await eventually(
      async () => (await eventFor(`wa:status:${out.waMessageId}:sent`))?.status === 'processed',
      10_000,
      'late status processed',
    );
    expect((await outboundStatus(out.ref)).status).toBe('read');
  });

  it('a "read" that overtakes "delivered" is kept: the later "delivered" does not regress it', async () => {
    const out = await sentMessage();
    await harness.whatsapp.deliverStatus(webhookUrl, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      messageId: out.waMessageId,
      recipient: out.phone,
      status: 'read',
    });
    await eventually(async () => (await outboundStatus(out.ref)).status === 'read', 10_000, 'read');
    await harness.whatsapp.deliverStatus(webhookUrl, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      messageId: out.waMessageId,
      recipient: out.phone,
      status: 'delivered',
    });
    await eventually(
      async () => (await eventFor(`wa:status:${out.waMessageId}:delivered`))?.status === 'processed',
      10_000,
      'late delivered processed',
    );
    expect((await outboundStatus(out.ref)).status).toBe('read');
  });

  it('a "failed" status records the failure and WhatsApp’s error code', async () => {
    const out = await sentMessage();
    await harness.whatsapp.deliverStatus(webhookUrl, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      messageId: out.waMessageId,
      recipient: out.phone,
      status: 'failed',
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    });
    const failed = await eventually(
      async () => {
        const m = await outboundStatus(out.ref);
        return m.status === 'failed' && m;
      },
      10_000,
      'failed',
    );
    expect(failed.reason).toBe('whatsapp_131026');
    expect(failed.error).toMatchObject({ kind: 'permanent', code: 131026 });
  });
});

/**
 * Statuses and errors that arrive alone, shaped after Meta's status webhook reference
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status):
 * `errors: [{ code, title, message, error_data: { details } }]`; `recipient_user_id` for username users.
 */
describe('statuses and errors that arrive alone', () => {
  const signedPost = (payload: unknown) => {
    const signed = harness.whatsapp.signPayload(payload);
    return post(signed.rawBody, { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature });
  };
  const metadata = { display_phone_number: '97231234567', phone_number_id: BUSINESS_NUMBER_ID };
  const now = () => String(Math.floor(Date.now() / 1000));

  it('a "failed" status with only recipient_user_id and Meta\'s errors[] fails the message it names, and no job', async () => {
    const out = await sentMessage();
    const status = {
      id: out.waMessageId,
      status: 'failed',
      timestamp: now(),
      recipient_user_id: 'IL.13491208655302741918',
      errors: [
        {
          code: 131026,
          title: 'Message undeliverable',
          message: 'Message undeliverable',
          error_data: { details: 'Message Undeliverable.' },
        },
      ],
    };
    const response = await signedPost(envelope({ messaging_product: 'whatsapp', metadata, statuses: [status] }));
    expect(response.status).toBe(200);
    const failed = await eventually(
      async () => {
        const m = await outboundStatus(out.ref);
        return m.status === 'failed' && m;
      },
      10_000,
      'failed',
    );
    expect(failed.error).toMatchObject({ kind: 'permanent', code: 131026 });
    await eventually(
      async () => (await eventFor(`wa:status:${out.waMessageId}:failed`))?.status === 'processed',
      10_000,
      'status event processed',
    );
  });

  it('a "delivered" status with only recipient_user_id moves the message it names', async () => {
    const out = await sentMessage();
    const status = { id: out.waMessageId, status: 'delivered', timestamp: now(), recipient_user_id: 'IL.13491208655302741918' };
    expect((await signedPost(envelope({ messaging_product: 'whatsapp', metadata, statuses: [status] }))).status).toBe(200);
    await eventually(async () => (await outboundStatus(out.ref)).status === 'delivered', 10_000, 'delivered');
  });

  it('value-level errors[] with no messages are recorded for staff, and the event is processed', async () => {
    const errors = [
      {
        code: 131045,
        title: 'Incorrect certificate',
        message: 'Incorrect certificate',
        error_data: { details: `Phone number not registered ${++seq}` },
      },
    ];
    const response = await signedPost(envelope({ messaging_product: 'whatsapp', metadata, errors }));
    expect(response.status).toBe(200);
    const { eventId } = (await response.json()) as { eventId: string };
    await eventually(async () => (await eventFor(eventId))?.status === 'processed', 10_000, 'errors event processed');
    expect(
      await ActivityModel.findOne({ tenantId: tenant.id, type: 'whatsapp.error', text: { $regex: `registered ${seq}` } }),
    ).toMatchObject({
      text: expect.stringContaining('131045 Incorrect certificate'),
    });
  });
});

describe('activity', () => {
  it('a sent message writes a message.sent activity row', async () => {
    const out = await sentMessage();
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'message.sent', ref: out.ref })).toBe(1);
  });

  it('an accepted inbound message writes an activity row', async () => {
    const phone = freshMobile();
    const delivery = await harness.whatsapp.deliverInbound(webhookUrl, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: phone,
      text: 'hello there',
    });
    await handled(delivery.messageId);
    const [record] = await inboundRecords(delivery.messageId);
    await eventually(
      () => ActivityModel.exists({ tenantId: tenant.id, type: 'message.received', ref: record.id }),
      5_000,
      'message.received activity',
    );
  });
});
