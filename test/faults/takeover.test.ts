/**
 * Another worker takes a dead one's work (issue 15): worker A is killed (SIGKILL) while it holds a
 * customer's reply (its inbox claim, the event's lock, the conversation's lock) and a missed-call
 * follow-up (its Agenda job lock, the caller's lock), both mid-send — the fake WhatsApp holds the
 * requests open. Worker B, under an identity of its own, keeps running and is never restarted: it
 * takes all of it once the dead claims lapse, within 30 s of the kill, and every message goes out once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { DONE_AFTER_RESTART_MS, settle, startCrashScenario, type CrashScenario } from '../support/crash-scenario.ts';
import { BUSINESS_NUMBER_ID, eventually, type Harness } from '../support/harness.ts';

const TIMEOUT_MS = 15_000;
/** Worker A waits longer, so its requests are still open when it is killed, however long B took to start. */
const WORKER_A_TIMEOUT_MS = 120_000;
const CONFIRM_WAIT_MS = 1_000;

describe('a worker killed while another keeps running', () => {
  let crash: CrashScenario;
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    crash = await startCrashScenario(import.meta.filename, {
      env: { WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS), WHATSAPP_CONFIRM_WAIT_MS: String(CONFIRM_WAIT_MS) },
      firstWorker: { env: { WHATSAPP_TIMEOUT_MS: String(WORKER_A_TIMEOUT_MS) } },
    });
    h = crash.h;
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => crash?.stop());

  const missedCall = (caller: string) =>
    postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: `takeover-${caller}` }) as never,
    );
  const toCustomer = (phone: string) => h.whatsapp.sent.filter((m) => m.to === phone);

  it('takes the dead worker’s inbox claim, job lock and locks within 30 s, and sends each message once', async () => {
    const replying = '+972527654441';
    const calling = '+972527654442';
    // The replying customer is in the conversation already: the follow-up came.
    expect((await missedCall(replying)).status).toBe(200);
    await h.whatsapp.waitForSent((m) => m.to === replying, 15_000);

    h.whatsapp.failNext(131000, { hang: true, times: 2 });
    expect((await missedCall(calling)).status).toBe(200);
    const reply = await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: replying,
      text: 'היי',
    });
    expect(reply.status).toBe(200);
    // Worker A holds both, each with its request open at WhatsApp.
    await eventually(
      async () => (await MessageModel.countDocuments({ tenantId: tenant.id, status: 'sending' })) === 2,
      30_000,
      'the question and the follow-up being sent',
    );
    const workerA = crash.workers[0]!;
    await crash.startWorker({ workerId: '2' });
    await crash.killWhen(() => Promise.resolve(true), 'worker A to be killed', workerA);

    const [questionMs, followupMs] = await Promise.all([
      crash.timeUntil(async () => toCustomer(replying).length === 2, 'worker B to send the question'),
      crash.timeUntil(async () => toCustomer(calling).length === 1, 'worker B to send the follow-up'),
    ]);
    const tookMs = Math.max(questionMs, followupMs);
    await settle();
    console.log(
      `worker A killed holding a reply and a follow-up: worker B sent the question ${questionMs} ms, the follow-up ${followupMs} ms after the kill`,
    );
    expect(toCustomer(replying)).toHaveLength(2);
    expect(toCustomer(calling)).toHaveLength(1);
    expect(toCustomer(calling)[0]!.template?.name).toBe('findo_missed_call');
    expect(tookMs).toBeLessThan(DONE_AFTER_RESTART_MS);
  }, 120_000);
});
