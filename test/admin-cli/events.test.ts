import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, InboxModel, TenantModel, UNROUTED_TENANT, type Tenant } from '../../bot/db/models/index.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { ago, cliEnv, MINUTE, oneErrorLine, seedTenant } from './seed.ts';

const EVENT_SUMMARY_FIELDS = [
  'id',
  'tenantId',
  'provider',
  'eventId',
  'status',
  'reason',
  'attempts',
  'replays',
  'lastError',
  'receivedAt',
  'processedAt',
].sort();

// Each CLI run starts a Node process that loads the whole service: allow for a busy machine.
describe('findo events (the real CLI as a child process)', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dani: Tenant;
  let noa: Tenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    dani = await seedTenant('Dani Plumbing', 'dani-plumbing');
    noa = await seedTenant('Noa Salon', 'noa-salon');
    const seed = async (key: string, fields: Record<string, unknown>) => {
      const event = await EventModel.create({ contentType: 'application/json', ...fields });
      ids[key] = event.id;
    };
    await seed('call', {
      tenantId: dani.id,
      provider: 'voicenter',
      eventId: 'call-1',
      status: 'processed',
      attempts: 1,
      body: { CallerNumber: '0527654321', Status: 'NOANSWER' },
      receivedAt: ago(40 * MINUTE),
      processedAt: ago(39 * MINUTE),
    });
    await seed('invoice', {
      tenantId: dani.id,
      provider: 'greeninvoice',
      eventId: 'doc-7',
      status: 'failed',
      attempts: 3,
      lastError: 'Google said 503',
      body: { id: 'doc-7', client: { phone: '0527654321', name: 'יוסי' }, items: [{ description: 'תיקון' }] },
      receivedAt: ago(30 * MINUTE),
    });
    await seed('quarantined', {
      tenantId: dani.id,
      provider: 'whatsapp',
      eventId: 'wa-sha',
      status: 'quarantined',
      reason: 'no messages or statuses',
      body: { entry: [] },
      receivedAt: ago(20 * MINUTE),
    });
    await seed('noa', {
      tenantId: noa.id,
      provider: 'icount',
      eventId: 'ic-1',
      status: 'accepted',
      body: { doc: 1 },
      receivedAt: ago(10 * MINUTE),
    });
    await seed('unrouted', {
      tenantId: UNROUTED_TENANT,
      provider: 'whatsapp',
      eventId: 'wa-unrouted',
      status: 'quarantined',
      reason: 'unknown phone_number_id',
      body: { phoneNumberId: '106540352242922', message: { id: 'wamid.1', from: '972527654321', text: 'שלום' } },
      receivedAt: ago(5 * MINUTE),
    });
  });
  afterAll(() => db.close());

  it('lists every event newest first, with stable camelCase fields and no body', async () => {
    const result = await runCli(['events', 'list', '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = result.json();
    expect(events.map((e: { id: string }) => e.id)).toEqual([ids.unrouted, ids.noa, ids.quarantined, ids.invoice, ids.call]);
    for (const event of events) expect(Object.keys(event).sort()).toEqual(EVENT_SUMMARY_FIELDS);
    expect(events[3]).toMatchObject({
      tenantId: dani.id,
      provider: 'greeninvoice',
      eventId: 'doc-7',
      status: 'failed',
      attempts: 3,
      replays: 0,
      lastError: 'Google said 503',
      reason: null,
      processedAt: null,
    });
    expect(new Date(events[3].receivedAt).toISOString()).toBe(events[3].receivedAt);
  });

  it('filters by tenant (id or slug), provider and status, and limits', async () => {
    const [bySlug, byId, provider, status, both, limited, human] = await Promise.all([
      runCli(['events', 'list', '--tenant', 'dani-plumbing', '--json'], env),
      runCli(['events', 'list', '--tenant', noa.id, '--json'], env),
      runCli(['events', 'list', '--provider', 'whatsapp', '--json'], env),
      runCli(['events', 'list', '--status', 'failed', '--json'], env),
      runCli(['events', 'list', '--tenant', 'dani-plumbing', '--status', 'quarantined', '--provider', 'whatsapp', '--json'], env),
      runCli(['events', 'list', '--limit', '2', '--json'], env),
      runCli(['events', 'list', '--tenant', 'dani-plumbing'], env),
    ]);
    const idsOf = (r: typeof bySlug) => r.json().map((e: { id: string }) => e.id);
    expect(idsOf(bySlug)).toEqual([ids.quarantined, ids.invoice, ids.call]);
    expect(idsOf(byId)).toEqual([ids.noa]);
    expect(idsOf(provider)).toEqual([ids.unrouted, ids.quarantined]);
    expect(idsOf(status)).toEqual([ids.invoice]);
    expect(idsOf(both)).toEqual([ids.quarantined]);
    expect(idsOf(limited)).toEqual([ids.unrouted, ids.noa]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^id\s+receivedAt\s+tenant\s+provider/);
    expect(human.stdout).toContain('dani-plumbing');
    expect(human.stdout).toContain('Google said 503');
  });

  it('rejects bad filters with exit code 2 and one line on stderr', async () => {
    const attempts = [
      ['events', 'list', '--status', 'broken'],
      ['events', 'list', '--provider', 'fax'],
      ['events', 'list', '--limit', '0'],
      ['events', 'list', '--limit', 'ten'],
      ['events', 'show', 'not-an-id'],
      ['events', 'replay', '1234'],
    ];
    const results = await Promise.all(attempts.map((args) => runCli(args, env)));
    for (const [i, result] of results.entries()) {
      expect(result.code, attempts[i].join(' ')).toBe(2);
      oneErrorLine(result);
    }
    expect(oneErrorLine(results[0])).toBe('findo: --status must be one of accepted, processed, failed, quarantined, not "broken"');
    const unknownTenant = await runCli(['events', 'list', '--tenant', 'nobody'], env);
    expect(unknownTenant.code).toBe(1);
    expect(oneErrorLine(unknownTenant)).toBe('findo: no tenant with id or slug "nobody"');
  });

  it('shows one event with its full stored body, attempts, last error and reason', async () => {
    const [invoice, quarantined, missing] = await Promise.all([
      runCli(['events', 'show', ids.invoice, '--json'], env),
      runCli(['events', 'show', ids.quarantined, '--json'], env),
      runCli(['events', 'show', '0123456789abcdef01234567', '--json'], env),
    ]);
    expect(invoice.code).toBe(0);
    expect(invoice.json()).toMatchObject({
      id: ids.invoice,
      provider: 'greeninvoice',
      status: 'failed',
      attempts: 3,
      lastError: 'Google said 503',
      contentType: 'application/json',
      body: { id: 'doc-7', client: { phone: '0527654321', name: 'יוסי' }, items: [{ description: 'תיקון' }] },
    });
    expect(quarantined.json()).toMatchObject({ status: 'quarantined', reason: 'no messages or statuses', body: { entry: [] } });
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing)).toBe('findo: no event with id 0123456789abcdef01234567');
  });

  it('replays an event: back to accepted, and in the inbox again under a bumped generation', async () => {
    const first = await runCli(['events', 'replay', ids.invoice, '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json()).toEqual({
      id: ids.invoice,
      tenantId: dani.id,
      provider: 'greeninvoice',
      eventId: 'doc-7',
      reroutedFrom: null,
      previousStatus: 'failed',
      status: 'accepted',
      job: 'process-event',
      generation: 1,
    });
    const stored = await EventModel.findOne({ tenantId: dani.id, _id: ids.invoice }).lean();
    expect(stored).toMatchObject({ status: 'accepted', replays: 1 });

    const second = await runCli(['events', 'replay', ids.invoice], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /^replayed greeninvoice event doc-7 .* of dani-plumbing: accepted → accepted; queued in the inbox \(generation 2\)\n$/,
    );

    // One inbox item, moved to the newest generation; only enqueued: the CLI runs no workers.
    const items = await InboxModel.find({ _id: ids.invoice }).lean();
    expect(items).toMatchObject([{ tenantId: dani.id, generation: 2, owner: null, leaseUntil: null }]);
  });

  it('replays a quarantined event, clearing its reason', async () => {
    const result = await runCli(['events', 'replay', ids.quarantined, '--json'], env);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ previousStatus: 'quarantined', status: 'accepted', generation: 1 });
    const stored = await EventModel.findOne({ tenantId: dani.id, _id: ids.quarantined }).lean();
    expect(stored?.reason).toBeUndefined();
    expect(await InboxModel.countDocuments({ _id: ids.quarantined, generation: 1 })).toBe(1);
  });

  it('refuses to replay an unknown or malformed event, or one still unrouted, and queues nothing', async () => {
    const before = await InboxModel.countDocuments({});
    const [missing, malformed, unrouted] = await Promise.all([
      runCli(['events', 'replay', '0123456789abcdef01234567'], env),
      runCli(['events', 'replay', 'doc-7'], env),
      runCli(['events', 'replay', ids.unrouted], env),
    ]);
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing)).toBe('findo: no event with id 0123456789abcdef01234567');
    expect(malformed.code).toBe(2);
    expect(unrouted.code).toBe(1);
    expect(oneErrorLine(unrouted)).toMatch(/still unrouted: no active tenant has WhatsApp number id 106540352242922; give it to one with/);
    expect(await InboxModel.countDocuments({})).toBe(before);
    expect(await EventModel.countDocuments({ eventId: 'wa-unrouted' }).setOptions({ allTenants: true })).toBe(1);
  });

  it('re-routes an unrouted WhatsApp event once a tenant has its number', async () => {
    await TenantModel.updateOne({ _id: dani._id }, { $set: { whatsappNumberId: '106540352242922' } });
    const result = await runCli(['events', 'replay', ids.unrouted, '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const replayed = result.json();
    expect(replayed).toMatchObject({
      tenantId: dani.id,
      provider: 'whatsapp',
      eventId: 'wa-unrouted',
      reroutedFrom: ids.unrouted,
      previousStatus: 'quarantined',
      status: 'accepted',
      generation: 0,
    });
    expect(replayed.id).not.toBe(ids.unrouted);
    const copy = await EventModel.findOne({ tenantId: dani.id, _id: replayed.id }).lean();
    expect(copy?.body).toMatchObject({ phoneNumberId: '106540352242922' });
    expect(await InboxModel.countDocuments({ _id: replayed.id, generation: 0 })).toBe(1);
    // The unrouted original stays as it was.
    expect((await EventModel.findOne({ tenantId: UNROUTED_TENANT, _id: ids.unrouted }).lean())?.status).toBe('quarantined');
  });
});
