/**
 * Scale-out: two web and two worker processes (real `findo start` children) on one database take a
 * burst of missed calls, ten from each caller. Every call is stored once and processed exactly
 * once, every caller gets exactly one WhatsApp follow-up (one pending per caller, then the 12-hour
 * rule), and nothing is left behind in the inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, InboxModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';
import { startFindoProcess, type FindoProcess } from '../support/processes.ts';

/**
 * 200 in the default run, which FerretDB on SQLite drains in about a minute on 2 cores;
 * FINDO_SCALE_OUT_EVENTS=1000 is the full burst (minutes there, seconds on mongod).
 */
const BURST = Number(process.env.FINDO_SCALE_OUT_EVENTS ?? 200);
/** Ten calls each: what the burst costs is events; the follow-ups (one per caller) check duplicates. */
const CALLERS = BURST / 10;
/** Requests in flight at once, spread over both web processes. */
const IN_FLIGHT = 40;

describe('two web and two worker processes', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;
  let processes: FindoProcess[] = [];

  beforeAll(async () => {
    // This process only provides the fakes and the tenant; it runs no workers.
    h = await startHarness(import.meta.filename, { role: 'web' });
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
    // Agenda's poll as in production: each poll scans every job name, and the follow-ups are due
    // a second after the calls anyway.
    const env = { ...h.env, FINDO_JOB_POLL_INTERVAL: '2000' };
    processes = await Promise.all([
      startFindoProcess('web', env),
      startFindoProcess('web', env),
      startFindoProcess('worker', { ...env, FINDO_WORKER_ID: 'w1' }),
      startFindoProcess('worker', { ...env, FINDO_WORKER_ID: 'w2' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await h?.stop();
  });

  it(`process a burst of ${BURST} events exactly once: one follow-up per caller, none left behind`, { timeout: 600_000 }, async () => {
    const webs = processes.filter((p) => p.url);
    expect(webs).toHaveLength(2);
    const callers = Array.from({ length: CALLERS }, (_, i) => `+97253${String(1_000_000 + i).slice(-7)}`);
    const started = Date.now();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, lane) => {
        for (let i = next++; i < BURST; i = next++) {
          const caller = callers[i % CALLERS];
          const url = `${webs[(lane + i) % 2].url}/webhooks/voicenter/${keys.voicenter}`;
          const body = voicenterMissedCall({ caller: `0${caller.slice(4)}`, callerPhone: '', ivruniqueid: `burst-${i}` });
          statuses.push((await postProviderWebhook(url, body)).status);
        }
      }),
    );
    const accepted = Date.now() - started;
    expect(statuses.filter((s) => s === 200)).toHaveLength(BURST);

    await eventually(
      async () => (await EventModel.countDocuments({ tenantId: tenant.id, status: 'processed' })) === BURST,
      540_000,
      'every event processed',
    );
    await eventually(async () => new Set(h.whatsapp.sent.map((m) => m.to)).size >= CALLERS, 30_000, 'a follow-up to every caller');
    const processed = Date.now() - started;
    // Settle: anything sent twice would arrive now.
    await new Promise((r) => setTimeout(r, 2_000));

    const events = await EventModel.find({ tenantId: tenant.id }, { status: 1, attempts: 1 }).lean();
    expect(events).toHaveLength(BURST);
    expect(events.filter((e) => e.status !== 'processed' || e.attempts !== 1)).toEqual([]);
    expect(await InboxModel.countDocuments({})).toBe(0);
    const toCallers = h.whatsapp.sent.filter((m) => callers.includes(m.to));
    expect(toCallers).toHaveLength(CALLERS);
    expect(new Set(toCallers.map((m) => m.to)).size).toBe(CALLERS);
    console.log(`scale-out: ${BURST} webhooks accepted in ${accepted} ms, processed and followed up in ${processed} ms`);
  });
});
