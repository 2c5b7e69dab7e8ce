/**
 * Crashes inside a flow (issue 15): the job worker is a separate process, killed (SIGKILL) while
 * its missed-call follow-up is being sent — the fake WhatsApp holds the request open — and started
 * again. The follow-up goes out exactly once, within 30 s of the restart: the restarted worker
 * takes back its job and the customer's lock at once, and the message its previous life left
 * `sending` is sent again once no request can be in flight and no status came for it (short
 * timeouts here through the service's settings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';
import { startFindoProcess, type FindoProcess } from '../support/processes.ts';

const TIMEOUT_MS = 5_000;
const CONFIRM_WAIT_MS = 1_000;

describe('a worker killed inside a flow', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;
  let worker: FindoProcess | undefined;

  const startWorker = () => startFindoProcess('worker', h.env);

  beforeAll(async () => {
    // This process serves HTTP only; jobs run in the child worker.
    h = await startHarness(import.meta.filename, {
      role: 'web',
      env: { WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS), WHATSAPP_CONFIRM_WAIT_MS: String(CONFIRM_WAIT_MS) },
    });
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.kill();
    await h?.stop();
  });

  it('missed call: killed while its follow-up is being sent, it goes out once within 30 s of the restart', async () => {
    const caller = '+972527653333';
    const followups = () => h.whatsapp.sent.filter((m) => m.to === caller && m.template?.name === 'findo_missed_call');
    h.whatsapp.failNext(131000, { hang: true });
    const answer = await postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: 'crash-in-send' }) as never,
    );
    expect(answer.status).toBe(200);
    // The follow-up is claimed and its request is open at WhatsApp: kill the worker now.
    await eventually(
      async () => (await MessageModel.findOne({ tenantId: tenant.id, phone: caller }))?.status === 'sending',
      30_000,
      'the follow-up being sent',
    );
    await worker!.kill();
    expect(followups()).toHaveLength(0);

    const restarted = Date.now();
    worker = await startWorker();
    await eventually(async () => followups().length === 1, 30_000, 'the follow-up after the restart');
    const tookMs = Date.now() - restarted;
    // Nothing more arrives: sent once.
    await new Promise((r) => setTimeout(r, 2_000));
    const message = await MessageModel.findOne({ tenantId: tenant.id, phone: caller });
    console.log(
      `missed call, worker killed inside the send: followed up ${tookMs} ms after the restart; ${followups().length} follow-up, message ${message?.status} after ${message?.attempts} attempts (${message?.outcome?.decision})`,
    );
    expect(followups()).toHaveLength(1);
    expect(message).toMatchObject({ status: 'sent', outcome: { decision: 'resent' } });
    expect(tookMs).toBeLessThan(30_000);
  }, 90_000);
});
