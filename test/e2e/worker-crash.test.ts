/**
 * Nothing lost: the job worker is a separate process that is killed (SIGKILL) between two customer
 * replies, or in the middle of a run, and started again; the conversation completes without a lost
 * or duplicated message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, LeadModel, LockModel, type Tenant, type Lead } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { startCrashScenario, settle, type CrashScenario } from '../support/crash-scenario.ts';
import { BUSINESS_NUMBER_ID, eventually, type Harness } from '../support/harness.ts';
const OWNER = '+972547654321';

describe('a worker killed mid-flow', () => {
  let crash: CrashScenario;
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    crash = await startCrashScenario(import.meta.filename);
    h = crash.h;
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => crash?.stop());

  /**
   * A missed call, then the customer answers name, need and time; the worker is killed after the
   * name, while the need is sent, and started again. Every message must arrive exactly once.
   */
  async function conversationAcrossACrash(customer: string, national: string, killInsideRun: boolean) {
    const reply = (text: string) =>
      h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: customer, text });
    const toCustomer = () => h.whatsapp.sent.filter((m) => m.to === customer);
    const ownerAlerts = () => h.whatsapp.sent.filter((m) => m.to === OWNER && JSON.stringify(m.request).includes(national.slice(4)));

    await postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller: national, callerPhone: national, ivruniqueid: `crash-${customer}` }) as never,
    );
    await h.whatsapp.waitForSent((m) => m.to === customer, 15_000);

    await reply('היי');
    await eventually(async () => toCustomer().length >= 2, 15_000, 'the question for the name');
    await reply('רונית');
    await eventually(async () => toCustomer().length >= 3, 15_000, 'the question for the need');
    // Between two replies: the name's event is done and its conversation lock released.
    const betweenReplies = async () =>
      (await EventModel.countDocuments({ tenantId: tenant.id, provider: 'whatsapp', status: { $ne: 'processed' } })) === 0 &&
      (await LockModel.countDocuments({ tenantId: tenant.id })) === 0;
    await crash.killWhen(killInsideRun ? () => Promise.resolve(true) : betweenReplies, 'the name to be fully processed');

    // While no worker runs, the web process still takes the customer's answer and stores it.
    const accepted = await reply('החלפת ברז במטבח');
    expect(accepted.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(toCustomer()).toHaveLength(3);

    // Killed inside a run, the dead worker left its conversation lock: its restart clears it at once.
    const tookMs = await crash.restartUntil(async () => toCustomer().length >= 4, 'the question for the time after restart', 20_000);
    console.log(`worker killed ${killInsideRun ? 'inside a run' : 'between replies'}: the next question ${tookMs} ms after the restart`);
    await reply('מחר אחרי 5');
    const lead = await eventually<Lead>(
      async () => await LeadModel.findOne({ tenantId: tenant.id, phone: customer, status: 'new' }),
      20_000,
      'the lead',
    );
    expect(lead).toMatchObject({ name: 'רונית', need: 'החלפת ברז במטבח', preferredTime: 'מחר אחרי 5' });

    await eventually(async () => toCustomer().length >= 5 && ownerAlerts().length >= 1, 20_000, 'the thanks and the owner alert');
    // Then nothing more arrives: no message was sent twice.
    await settle(1_500);
    const texts = toCustomer().map((m) => m.text ?? m.template?.name);
    // template, name?, need?, time?, thanks — each exactly once.
    expect(texts).toHaveLength(5);
    expect(new Set(texts).size).toBe(5);
    expect(ownerAlerts()).toHaveLength(1);
  }

  it('completes the conversation after a SIGKILL between two replies, with every message sent once', async () => {
    await conversationAcrossACrash('+972527651111', '052-765-1111', false);
  });

  it('completes it too when the worker dies inside a run, the moment a question is sent', { timeout: 90_000 }, async () => {
    await conversationAcrossACrash('+972527652222', '052-765-2222', true);
  });
});
