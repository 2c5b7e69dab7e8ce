/**
 * The §4 outcome table for the providers that push to a keyed URL (Voicenter, Greeninvoice/Morning,
 * iCount), over real HTTP against the real service and its database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../../bot/agenda.ts';
import { ActivityModel, EventModel, InboxModel, ReviewRequestModel, type Tenant } from '../../../bot/db/models/index.ts';
import { createTenant, rotateWebhookKeys, setTenantDisabled, type WebhookKeys } from '../../../bot/tenants.ts';
import { greeninvoiceDocument } from '../../../integrations/greeninvoice/fake.ts';
import { icountDocument } from '../../../integrations/icount/fake.ts';
import { postProviderWebhook, type WebhookRecord } from '../../../integrations/providers.ts';
import { voicenterMissedCall } from '../../../integrations/voicenter/fake.ts';
import { processEvent, replayEvent } from '../../../jobs/process-event.ts';
import { sweepStaleEventsJob } from '../../../jobs/sweep-stale-events.ts';
import { eventually, startHarness, type Harness } from '../../support/harness.ts';

type KeyedProvider = 'voicenter' | 'greeninvoice' | 'icount';

let harness: Harness;
let tenant: Tenant;
let keys: WebhookKeys;
let callerSeq = 0;

/** A mobile number no other test uses, so per-caller rules never interfere. */
const freshMobile = () => `+97252${String(1_000_000 + ++callerSeq).slice(-7)}`;

/** A realistic body for each provider, unique per call. */
const bodies: Record<KeyedProvider, () => WebhookRecord> = {
  voicenter: () => voicenterMissedCall({ caller: freshMobile(), callerPhone: '' }),
  greeninvoice: () => greeninvoiceDocument({ recipient: { mobile: freshMobile() } }),
  icount: () => icountDocument({ docnum: 50_000 + ++callerSeq, phone: freshMobile() }),
};

/** The extra fields each provider needs in our 200 answer. */
const acknowledgements: Record<KeyedProvider, Record<string, unknown>> = {
  voicenter: { Err: 0, Errdesc: 'OK' },
  greeninvoice: {},
  icount: {},
};

const jobs = () => harness.findo.database.connection.db!.collection(AGENDA_COLLECTION);
const eventsWith = (provider: KeyedProvider, eventId: string) => EventModel.find({ tenantId: tenant.id, provider, eventId });
const countAll = () => EventModel.countDocuments({}).setOptions({ allTenants: true });

/** The business effect of one processed event: a follow-up job per call, a review request per document. */
async function effectsOf(provider: KeyedProvider, eventRef: string, phone: string): Promise<number> {
  if (provider === 'voicenter') return jobs().countDocuments({ name: 'missed-call-followup', 'data.eventRef': eventRef });
  return ReviewRequestModel.countDocuments({ tenantId: tenant.id, phone });
}

const phoneOf = (provider: KeyedProvider, body: WebhookRecord): string => {
  const raw = provider === 'voicenter' ? body.caller : provider === 'greeninvoice' ? (body.recipient as WebhookRecord).mobile : body.phone;
  return String(raw);
};

beforeAll(async () => {
  harness = await startHarness(import.meta.filename);
  ({ tenant, webhookKeys: keys } = await harness.createTenant());
});

afterAll(async () => {
  await harness?.stop();
});

describe.each(['voicenter', 'greeninvoice', 'icount'] as const)('POST /webhooks/%s/:key', (provider) => {
  const url = () => harness.webhookUrl(provider, keys[provider]);

  it('a new event is stored, answered 200 accepted with its id, and processed once', async () => {
    const body = bodies[provider]();
    const { status, json } = await postProviderWebhook(url(), body);
    expect(status).toBe(200);
    expect(json).toEqual({ status: 'accepted', eventId: expect.any(String), ...acknowledgements[provider] });
    const eventId = (json as { eventId: string }).eventId;
    const [stored] = await eventsWith(provider, eventId);
    expect(stored).toBeDefined();
    const processed = await eventually(
      async () => {
        const event = await EventModel.findOne({ tenantId: tenant.id, _id: stored.id });
        return event?.status === 'processed' && event;
      },
      10_000,
      'event processed',
    );
    expect(processed.attempts).toBe(1);
    expect(await effectsOf(provider, stored.id, phoneOf(provider, body))).toBe(1);
  });

  it('the same event posted again is answered 200 duplicate and processed once', async () => {
    const body = bodies[provider]();
    const first = await postProviderWebhook(url(), body);
    const eventId = (first.json as { eventId: string }).eventId;
    const [stored] = await eventsWith(provider, eventId);
    await eventually(async () => (await EventModel.findOne({ tenantId: tenant.id, _id: stored.id }))?.status === 'processed');

    const again = await postProviderWebhook(url(), body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ status: 'duplicate', eventId, ...acknowledgements[provider] });
    await new Promise((r) => setTimeout(r, 500));
    const all = await eventsWith(provider, eventId);
    expect(all).toHaveLength(1);
    expect(all[0].attempts).toBe(1);
    expect(await InboxModel.countDocuments({ _id: stored.id })).toBe(0);
    expect(await effectsOf(provider, stored.id, phoneOf(provider, body))).toBe(1);
  });

  it('the same event posted 5 times concurrently is stored once and processed once', async () => {
    const body = bodies[provider]();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postProviderWebhook(url(), body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const statuses = answers.map((a) => (a.json as { status: string }).status).sort();
    expect(statuses).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    const eventIds = new Set(answers.map((a) => (a.json as { eventId: string }).eventId));
    expect(eventIds.size).toBe(1);
    const [eventId] = eventIds;

    const all = await eventsWith(provider, eventId);
    expect(all).toHaveLength(1);
    await eventually(async () => (await EventModel.findOne({ tenantId: tenant.id, _id: all[0].id }))?.status === 'processed');
    await new Promise((r) => setTimeout(r, 500));
    expect((await EventModel.findOne({ tenantId: tenant.id, _id: all[0].id }))!.attempts).toBe(1);
    expect(await InboxModel.countDocuments({ _id: all[0].id })).toBe(0);
    expect(await effectsOf(provider, all[0].id, phoneOf(provider, body))).toBe(1);
  });

  it('an authenticated payload that is not understood is answered 202 quarantined, stored, and can be replayed', async () => {
    const body = { hello: 'world', n: ++callerSeq };
    const { status, json } = await postProviderWebhook(url(), body);
    expect(status).toBe(202);
    expect(json).toMatchObject({ status: 'quarantined', reason: expect.any(String), eventId: expect.any(String) });
    const [stored] = await eventsWith(provider, (json as { eventId: string }).eventId);
    expect(stored.status).toBe('quarantined');
    expect(stored.reason).toBe((json as { reason: string }).reason);
    // The bytes as they came, not the untrusted body as document structure.
    expect(stored.body).toBeUndefined();
    expect(JSON.parse(stored.raw!.toString('utf8'))).toEqual(body);
    // Quarantined events are not processed on their own: they never enter the inbox.
    await new Promise((r) => setTimeout(r, 500));
    expect(await InboxModel.countDocuments({ _id: stored.id })).toBe(0);
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'event.quarantined', ref: stored.id })).toBe(1);

    // Staff replay: processed again with today's parser, which still cannot read it, and says why.
    const replayed = await replayEvent(tenant.id, stored.id);
    expect(replayed?.replays).toBe(1);
    const after = await eventually(
      async () => {
        const event = await EventModel.findOne({ tenantId: tenant.id, _id: stored.id });
        return event?.status === 'failed' && event;
      },
      10_000,
      'replayed event to fail',
    );
    expect(after.lastError).toContain('payload not understood');
  });

  it('an unknown key is answered 401 and nothing is stored', async () => {
    const before = await countAll();
    const { status, json } = await postProviderWebhook(harness.webhookUrl(provider, 'not-a-key'), bodies[provider]());
    expect(status).toBe(401);
    expect(json).toEqual({ error: expect.any(String) });
    // Another provider's key is not this provider's key.
    const other = provider === 'icount' ? 'voicenter' : 'icount';
    const crossed = await postProviderWebhook(harness.webhookUrl(provider, keys[other]), bodies[provider]());
    expect(crossed.status).toBe(401);
    expect(await countAll()).toBe(before);
  });

  it('a body that is neither JSON nor form is answered 415 and nothing is stored', async () => {
    const before = await countAll();
    const response = await fetch(url(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    const none = await fetch(url(), { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(none.status).toBe(415);
    expect(await countAll()).toBe(before);
  });

  it('malformed JSON is answered 400 and nothing is stored', async () => {
    const before = await countAll();
    const response = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ivruniqueid": "x",' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    expect(await countAll()).toBe(before);
  });

  it('a body over 1 MB is answered 413 and nothing is stored', async () => {
    const before = await countAll();
    const big = { ...bodies[provider](), padding: 'א'.repeat(600_000) }; // 1.2 MB of UTF-8
    const { status, json } = await postProviderWebhook(url(), big);
    expect(status).toBe(413);
    expect(json).toEqual({ error: expect.any(String) });
    expect(await countAll()).toBe(before);
  });
});

describe('form-encoded deliveries', () => {
  it('a form-encoded Voicenter missed call (Hebrew queue name, IVR as JSON text) is accepted and processed like JSON', async () => {
    const body = voicenterMissedCall({ caller: freshMobile(), callerPhone: '', queuename: 'שירות לקוחות — ערב' });
    const { status, json } = await postProviderWebhook(harness.webhookUrl('voicenter', keys.voicenter), body, { form: true });
    expect(status).toBe(200);
    expect(json).toEqual({ status: 'accepted', eventId: `vc-missed:${body.ivruniqueid}`, Err: 0, Errdesc: 'OK' });
    const [stored] = await eventsWith('voicenter', `vc-missed:${body.ivruniqueid}`);
    expect(stored.contentType).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(stored.raw!.toString('utf8')).get('queuename')).toBe('שירות לקוחות — ערב');
    expect(stored.body).toMatchObject({ kind: 'call.missed', callerPhone: body.caller });
    await eventually(async () => (await EventModel.findOne({ tenantId: tenant.id, _id: stored.id }))?.status === 'processed');
    expect(await effectsOf('voicenter', stored.id, body.caller)).toBe(1);
    // The same call again, now as JSON, is the same event.
    const again = await postProviderWebhook(harness.webhookUrl('voicenter', keys.voicenter), body);
    expect(again.json).toMatchObject({ status: 'duplicate', eventId: `vc-missed:${body.ivruniqueid}` });
  });

  it('a form-encoded iCount document is accepted', async () => {
    const body = icountDocument({ docnum: 70_000 + ++callerSeq, phone: freshMobile() });
    const { status, json } = await postProviderWebhook(harness.webhookUrl('icount', keys.icount), body, { form: true });
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'accepted' });
  });
});

describe('replay', () => {
  it('replaying a processed event does nothing twice', async () => {
    const body = greeninvoiceDocument({ recipient: { mobile: freshMobile() } });
    const { json } = await postProviderWebhook(harness.webhookUrl('greeninvoice', keys.greeninvoice), body);
    const [stored] = await eventsWith('greeninvoice', (json as { eventId: string }).eventId);
    await eventually(async () => (await EventModel.findOne({ tenantId: tenant.id, _id: stored.id }))?.status === 'processed');
    const phone = phoneOf('greeninvoice', body);
    const request = await ReviewRequestModel.findOne({ tenantId: tenant.id, phone });
    const stepJobs = () => jobs().countDocuments({ name: 'review-request', 'data.requestRef': request!.id });
    const jobsBefore = await stepJobs();

    await replayEvent(tenant.id, stored.id);
    const after = await eventually(
      async () => {
        const event = await EventModel.findOne({ tenantId: tenant.id, _id: stored.id });
        return event?.status === 'processed' && event.attempts === 2 && event;
      },
      20_000,
      'replayed event processed',
    );
    expect(after.replays).toBe(1);
    expect(await ReviewRequestModel.countDocuments({ tenantId: tenant.id, phone })).toBe(1);
    expect(await stepJobs()).toBe(jobsBefore);
  });
});

describe('activity', () => {
  it('an accepted missed call and an accepted document each write an activity row', async () => {
    const call = voicenterMissedCall({ caller: freshMobile(), callerPhone: '' });
    const doc = icountDocument({ docnum: 90_000 + ++callerSeq, phone: freshMobile() });
    const a = await postProviderWebhook(harness.webhookUrl('voicenter', keys.voicenter), call);
    const b = await postProviderWebhook(harness.webhookUrl('icount', keys.icount), doc);
    const [callEvent] = await eventsWith('voicenter', (a.json as { eventId: string }).eventId);
    await eventsWith('icount', (b.json as { eventId: string }).eventId);
    await eventually(
      () => ActivityModel.exists({ tenantId: tenant.id, type: 'event.accepted', ref: callEvent.id }),
      10_000,
      'call activity',
    );
    const requested = await eventually(
      async () =>
        ActivityModel.findOne({
          tenantId: tenant.id,
          type: 'review_request.scheduled',
          text: { $regex: doc.phone.replace(/\D/g, '').slice(-7) },
        }),
      10_000,
      'document activity',
    );
    expect(String((requested as unknown as { text?: string }).text)).toContain('review request');
  });
});

describe('stale-event sweep', () => {
  it('an event stored by a process that died before enqueueing is processed by the sweep, once', async () => {
    const body = voicenterMissedCall({ caller: freshMobile(), callerPhone: '' });
    // What a crash between "stored" and "enqueued" leaves behind: the event, and no inbox item.
    const orphan = await EventModel.create({
      provider: 'voicenter',
      tenantId: tenant.id,
      eventId: `vc-missed:${body.ivruniqueid}`,
      status: 'accepted',
      contentType: 'application/json',
      body,
      receivedAt: new Date(Date.now() - 5 * 60_000),
    });
    const sweep = () => sweepStaleEventsJob.run({}, harness.findo.services);
    await sweep();
    await eventually(
      async () => (await EventModel.findOne({ tenantId: tenant.id, _id: orphan.id }))?.status === 'processed',
      10_000,
      'swept event processed',
    );
    await sweep();
    await new Promise((r) => setTimeout(r, 500));
    expect(await InboxModel.countDocuments({ _id: orphan.id })).toBe(0);
    expect((await EventModel.findOne({ tenantId: tenant.id, _id: orphan.id }))!.attempts).toBe(1);
    expect(await effectsOf('voicenter', orphan.id, body.caller)).toBe(1);
  });
});

describe('an inbox item claimed by several workers at once', () => {
  it('processes its event once when three runs overlap (a database whose claims are not atomic)', async () => {
    const body = voicenterMissedCall({ caller: freshMobile(), callerPhone: '' });
    const event = await EventModel.create({
      provider: 'voicenter',
      tenantId: tenant.id,
      eventId: `vc-missed:${body.ivruniqueid}`,
      status: 'accepted',
      contentType: 'application/json',
      body,
      receivedAt: new Date(),
    });
    // Three workers all believing they hold the item, as FerretDB's non-atomic claims allow.
    await InboxModel.create({ _id: event.id, tenantId: tenant.id, generation: 0, dueAt: new Date(Date.now() + 60_000) });
    const item = { tenantId: tenant.id, eventRef: event.id, generation: 0, failures: 0 };
    const run = (owner: string) => processEvent(harness.findo.services, owner, item);
    await Promise.all([run('worker-a'), run('worker-b'), run('worker-c')]);
    await eventually(
      async () => (await EventModel.findOne({ tenantId: tenant.id, _id: event.id }))?.status === 'processed',
      10_000,
      'processed',
    );
    expect(await EventModel.findOne({ tenantId: tenant.id, _id: event.id })).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await effectsOf('voicenter', event.id, body.caller)).toBe(1);
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, ref: event.id, type: 'event.accepted' })).toBe(1);
  });
});

describe('webhook keys, looked up once and cached', () => {
  it('rotated keys: the old URL is refused at once, the new one taken; a disabled tenant is refused at once', async () => {
    const { tenant: other, webhookKeys: oldKeys } = await createTenant(
      { name: 'Rotating Garage', ownerPhones: ['054-765-1234'] },
      harness.findo.services.vault,
    );
    const post = (key: string) => postProviderWebhook(harness.webhookUrl('voicenter', key), bodies.voicenter());
    // Warm the cache with the old key.
    expect((await post(oldKeys.voicenter)).status).toBe(200);
    const newKeys = await rotateWebhookKeys(other, harness.findo.services.vault);
    expect((await post(oldKeys.voicenter)).status).toBe(401);
    expect((await post(newKeys.voicenter)).status).toBe(200);
    await setTenantDisabled(other, true);
    expect((await post(newKeys.voicenter)).status).toBe(401);
  });
});
