/**
 * The inbox's claims over the real service and database: the web server in this process (role
 * `web`) takes signed webhooks; workers claim with the real queue code. FerretDB's conditional
 * updates are not atomic, so these tests race real claims against each other.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, InboxModel, LockModel, type Tenant } from '../../../bot/db/models/index.ts';
import { baseIdentity } from '../../../bot/inbox/identity.ts';
import { claimItems, LEASE_MS } from '../../../bot/inbox/queue.ts';
import { startInboxWorker, type InboxWorker } from '../../../bot/inbox/worker.ts';
import { setTenantSettings, type WebhookKeys } from '../../../bot/tenants.ts';
import { postProviderWebhook } from '../../../integrations/providers.ts';
import { voicenterMissedCall } from '../../../integrations/voicenter/fake.ts';
import { processEvent, renewEventLocks, replayEvent } from '../../../jobs/process-event.ts';
import { eventually, startHarness, type Harness } from '../../support/harness.ts';
import { startFindoProcess } from '../../support/processes.ts';

let h: Harness;
let tenant: Tenant;
let keys: WebhookKeys;
let callSeq = 0;

beforeAll(async () => {
  h = await startHarness(import.meta.filename, { role: 'web' });
  ({ tenant, webhookKeys: keys } = await h.createTenant());
  // Follow-ups far in the future: these tests are about processing events, not sending.
  tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1h'], h.findo.services.vault);
});
afterAll(async () => {
  await h?.stop();
});

/** Posts `n` missed calls from distinct callers; returns their stored event ids. */
async function postCalls(n: number): Promise<string[]> {
  const answers = await Promise.all(
    Array.from({ length: n }, () => {
      const caller = `052${String(1_000_000 + ++callSeq).slice(-7)}`;
      return postProviderWebhook(
        h.webhookUrl('voicenter', keys.voicenter),
        voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: `inbox-${process.pid}-${callSeq}` }),
      );
    }),
  );
  expect(answers.every((a) => a.status === 200 && (a.json as { status: string }).status === 'accepted')).toBe(true);
  const events = await EventModel.find(
    { tenantId: tenant.id, eventId: { $in: answers.map((a) => (a.json as { eventId: string }).eventId) } },
    { _id: 1 },
  );
  return events.map((e) => e.id);
}

/** A worker in this process, as `owner`, counting the items it ran. */
function worker(owner: string, runs: string[] = []): InboxWorker {
  return startInboxWorker({
    owner,
    concurrency: 8,
    logger: h.findo.services.logger,
    run: async (item) => {
      runs.push(item.eventRef);
      await processEvent(h.findo.services, owner, item);
    },
    onRenew: (refs) => renewEventLocks(owner, refs),
  });
}

const processedOnce = async (ids: string[]) => {
  const events = await EventModel.find({ tenantId: tenant.id, _id: { $in: ids } }, { status: 1, attempts: 1 });
  return events.length === ids.length && events.every((e) => e.status === 'processed') && events;
};

describe('the inbox', () => {
  it('two workers racing for the same events process each exactly once', async () => {
    const ids = await postCalls(60);
    const [runsA, runsB] = [[] as string[], [] as string[]];
    const workers = [worker('race-a', runsA), worker('race-b', runsB)];
    try {
      const events = await eventually(() => processedOnce(ids), 60_000, 'all 60 events processed');
      // Settled: nothing left to claim, and each event was dispatched once (attempts counts dispatches).
      await eventually(async () => (await InboxModel.countDocuments({ _id: { $in: ids } })) === 0, 10_000, 'an empty inbox');
      expect(events.map((e) => e.attempts)).toEqual(ids.map(() => 1));
      // Both took part.
      expect(runsA.length).toBeGreaterThan(0);
      expect(runsB.length).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map((w) => w.stop(5_000)));
    }
  });

  it("a killed worker's claims lapse with its lease and another worker takes its events", { timeout: 60_000 }, async () => {
    const ids = await postCalls(5);
    // What a worker killed mid-run leaves: its claims and an event lock, both within their lease.
    const claimed = await claimItems('killed-worker', 10);
    expect(claimed.map((c) => c.eventRef).sort()).toEqual([...ids].sort());
    await LockModel.create({ tenantId: tenant.id, key: `event:${ids[0]}`, owner: 'killed-worker', until: new Date(Date.now() + LEASE_MS) });
    const claimedAt = Date.now();

    const survivor = worker('survivor');
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await EventModel.countDocuments({ tenantId: tenant.id, _id: { $in: ids }, status: 'processed' })).toBe(0);
      const events = await eventually(() => processedOnce(ids), LEASE_MS + 15_000, "the dead worker's events processed");
      const took = Date.now() - claimedAt;
      expect(took).toBeGreaterThanOrEqual(LEASE_MS - 1_000);
      expect(took).toBeLessThan(30_000);
      expect(events.map((e) => e.attempts)).toEqual(ids.map(() => 1));
    } finally {
      await survivor.stop(5_000);
    }
  });

  it('a worker restarted under the same identity takes back its claims at once', { timeout: 60_000 }, async () => {
    const ids = await postCalls(5);
    const identity = baseIdentity('worker', 'restarted');
    expect(identity).toBe(`findo-worker@${hostname()}#restarted`);
    // The previous life, killed: its registration (a pid that no longer runs), its claims and an
    // event lock, all renewed just before it died, so their leases outlast this test.
    const renewedUntil = new Date(Date.now() + 10 * 60_000);
    await LockModel.create({ tenantId: '*', key: `worker:${identity}`, owner: '2147483646:0', until: renewedUntil });
    await claimItems(identity, 10);
    await InboxModel.updateMany({ owner: identity }, { $set: { leaseUntil: renewedUntil } });
    await LockModel.create({ tenantId: tenant.id, key: `event:${ids[0]}`, owner: identity, until: renewedUntil });

    const restarted = await startFindoProcess('worker', { ...h.env, FINDO_WORKER_ID: 'restarted' });
    try {
      const events = await eventually(() => processedOnce(ids), 15_000, 'its events processed');
      expect(events.map((e) => e.attempts)).toEqual(ids.map(() => 1));
      expect(restarted.output()).toContain("took back the claims of this worker's previous life");
    } finally {
      await restarted.kill();
    }
  });

  it('a replay is processed once per generation, however many workers run', async () => {
    const [id] = await postCalls(1);
    const workers = [worker('replay-a'), worker('replay-b'), worker('replay-c')];
    try {
      await eventually(() => processedOnce([id]), 15_000, 'first processing');
      for (const generation of [1, 2]) {
        await replayEvent(tenant.id, id);
        const event = await eventually(
          async () => {
            const e = await EventModel.findOne({ tenantId: tenant.id, _id: id });
            return e?.status === 'processed' && e.replays === generation && e;
          },
          15_000,
          `generation ${generation} processed`,
        );
        await eventually(async () => (await InboxModel.countDocuments({ _id: id })) === 0, 10_000, 'the item gone');
        expect(event.attempts).toBe(generation + 1);
      }
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await EventModel.findOne({ tenantId: tenant.id, _id: id }))!.attempts).toBe(3);
    } finally {
      await Promise.all(workers.map((w) => w.stop(5_000)));
    }
  });
});
