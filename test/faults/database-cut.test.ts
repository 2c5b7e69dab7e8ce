/**
 * Database cuts under load (issue 15): missed calls arrive at 5 a second while the service's link
 * to its database is cut and restored five times (3 s each, shorter than the 10 s to keep
 * CI quick; the cause fixed does not depend on the length). During each cut webhooks and /healthz
 * answer 503; after it Findo heals by itself; every acknowledged call is durably stored, and no
 * customer is followed up twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';

const CUTS = 5;
const CUT_MS = 3_000;
const CALLS_PER_SECOND = 5;

describe('database cut under steady webhook traffic', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    // Workers poll every 500 ms: at 100 ms their polling alone keeps the SQLite-backed test database busy.
    h = await startHarness(import.meta.filename, { databaseProxy: true, env: { FINDO_JOB_POLL_INTERVAL: '500' } });
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => h?.stop());

  const missedCall = (id: string, caller = '+972521234567') =>
    postProviderWebhook(h.webhookUrl('voicenter', keys.voicenter), voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: id }) as never);

  it(`answers 503 during each of ${CUTS} cuts, heals after each without a restart, and loses or doubles nothing acknowledged`, async () => {
    const acknowledged: string[] = [];
    const answers = { accepted: 0, unavailable: 0, other: [] as string[] };
    let callNumber = 0;
    let traffic = true;
    const steadyTraffic = (async () => {
      while (traffic) {
        const n = ++callNumber;
        const caller = `+97252${String(1_000_000 + n).slice(-7)}`;
        missedCall(`cut-${n}`, caller).then((r) => {
          if (r.status === 200) {
            answers.accepted++;
            acknowledged.push(`cut-${n}`);
          } else if (r.status === 503) answers.unavailable++;
          else answers.other.push(`${r.status}`);
        }, (error: Error) => answers.other.push(error.message));
        await new Promise((r) => setTimeout(r, 1000 / CALLS_PER_SECOND));
      }
    })();

    const healMs: number[] = [];
    for (let cut = 0; cut < CUTS; cut++) {
      await new Promise((r) => setTimeout(r, 2_000));
      h.proxy!.cut();
      await eventually(async () => (await fetch(`${h.url}/healthz`)).status === 503, 5_000, `/healthz 503 during cut ${cut + 1}`);
      expect((await missedCall(`probe-during-${cut}`)).status).toBe(503);
      await new Promise((r) => setTimeout(r, CUT_MS));
      h.proxy!.restore();
      const restoredAt = Date.now();
      await eventually(async () => (await fetch(`${h.url}/healthz`)).status === 200, 20_000, `/healthz 200 after cut ${cut + 1}`);
      healMs.push(Date.now() - restoredAt);
      expect((await missedCall(`probe-after-${cut}`)).status).toBe(200);
    }
    traffic = false;
    await steadyTraffic;
    await eventually(async () => answers.accepted + answers.unavailable + answers.other.length === callNumber, 30_000, 'every webhook answered');
    console.log(`database cuts: ${CUTS} × ${CUT_MS} ms under ${CALLS_PER_SECOND} webhooks/s; healed in ${healMs.join(', ')} ms; ${callNumber} webhooks: ${answers.accepted} accepted, ${answers.unavailable} answered 503`);

    expect(answers.other).toEqual([]);
    expect(answers.unavailable).toBeGreaterThan(0);
    expect(Math.max(...healMs)).toBeLessThan(10_000);
    // Acknowledged means stored: each exactly once.
    const stored = await EventModel.find({ tenantId: tenant.id, provider: 'voicenter' }, { eventId: 1 });
    const storedIds = stored.map((e) => e.eventId);
    for (const id of acknowledged) expect(storedIds.filter((stored) => stored === `vc-missed:${id}`)).toHaveLength(1);
    // Whatever was followed up so far, was followed up once.
    const followups = h.whatsapp.sent.filter((m) => m.template?.name === 'findo_missed_call').map((m) => m.to);
    expect(followups.length).toBe(new Set(followups).size);
  }, 120_000);

  // Open: with the inbox's dead-work takeover merged, every stored event is processed and no
  // message is left half-sent, but some acknowledged callers were still not followed up 120 s
  // after the last cut on the shared CI machine (two runs); not yet explained.
  it.todo('every acknowledged call is followed up exactly once within 30 s of the last cut, and no message is stranded');
});
