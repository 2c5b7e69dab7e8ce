/**
 * WhatsApp faults (issue 15): Graph failing before it accepts, accepting and then losing its
 * answer, hanging; and the database failing around the send. Real service, workers and database;
 * the fake WhatsApp injects the faults and, like Meta, reports a `sent` status echoing each send's
 * callback data. Every customer gets each message exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityModel, MessageModel, type Tenant } from '../../bot/db/models/index.ts';
import { sendMissedCallFollowup } from '../../bot/flows/missed-call.ts';
import { sendMessage, type OutboundIntent } from '../../bot/outbound/sender.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';

const TIMEOUT_MS = 1_000;
// Comfortably longer than a status webhook takes to be processed on a loaded CI machine.
const CONFIRM_WAIT_MS = 10_000;

describe('WhatsApp faults', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;
  let seq = 0;
  const injected: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness(import.meta.filename, {
      databaseProxy: true,
      env: { WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS), WHATSAPP_CONFIRM_WAIT_MS: String(CONFIRM_WAIT_MS) },
    });
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(async () => {
    console.log(`WhatsApp faults injected: ${JSON.stringify(injected)}; ${h?.whatsapp.sent.length} messages accepted`);
    await h?.stop();
  });

  const inject = (label: string, code: number, options: Parameters<Harness['whatsapp']['failNext']>[1] = {}) => {
    injected[label] = (injected[label] ?? 0) + (options.times ?? 1);
    h.whatsapp.failNext(code, options);
  };
  const newCustomer = () => `+97253${String(1_000_000 + ++seq).slice(-7)}`;
  const missedCall = (caller: string) =>
    postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: `wa-fault-${++seq}` }) as never,
    );
  const sentTo = (phone: string) => h.whatsapp.sent.filter((m) => m.to === phone);
  /** Every customer got exactly one follow-up, and it stays one after the confirmation wait. */
  async function expectEachFollowedUpOnce(customers: string[]) {
    await eventually(async () => customers.every((c) => sentTo(c).length > 0), 40_000, 'every follow-up sent');
    await new Promise((r) => setTimeout(r, CONFIRM_WAIT_MS + TIMEOUT_MS + 1_000));
    expect(customers.map((c) => sentTo(c).length)).toEqual(customers.map(() => 1));
    expect(
      await MessageModel.countDocuments({
        tenantId: tenant.id,
        phone: { $in: customers },
        status: { $in: ['pending', 'sending', 'unconfirmed'] },
      }),
    ).toBe(0);
  }

  it('500, 429 and hangs before accepting, then recovery: each message exactly once', async () => {
    inject('500 before accepting', 500, { times: 2 });
    inject('429 before accepting', 130429, { times: 2, httpStatus: 429 });
    inject('hang before accepting', 0, { hang: true, times: 1 });
    const customers = [newCustomer(), newCustomer(), newCustomer(), newCustomer(), newCustomer()];
    for (const c of customers) expect((await missedCall(c)).status).toBe(200);
    await expectEachFollowedUpOnce(customers);
    expect(h.whatsapp.rejected.length).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('accepted then timed out, accepted then 500: each message exactly once, confirmed by its status webhook', async () => {
    h.whatsapp.sendStatusesTo(`${h.url}/webhooks/whatsapp`);
    try {
      inject('hang after accepting', 0, { hang: true, afterAccepting: true, times: 2 });
      inject('500 after accepting', 500, { afterAccepting: true, times: 3 });
      const customers = [newCustomer(), newCustomer(), newCustomer(), newCustomer(), newCustomer()];
      for (const c of customers) expect((await missedCall(c)).status).toBe(200);
      await expectEachFollowedUpOnce(customers);
      // The answers were lost: the wamid each record holds came from its status webhook.
      const records = await MessageModel.find({ tenantId: tenant.id, phone: { $in: customers } });
      expect(records.map((m) => m.waMessageId).sort()).toEqual(customers.map((c) => sentTo(c)[0].messageId).sort());
      expect(records.filter((m) => m.outcome?.decision === 'resent')).toEqual([]);
    } finally {
      h.whatsapp.sendStatusesTo(undefined);
    }
  }, 60_000);

  it('a hanging request times out and does not hold its worker: other messages go out meanwhile', async () => {
    inject('hang before accepting', 0, { hang: true, times: 1 });
    const hung = newCustomer();
    const others = [newCustomer(), newCustomer(), newCustomer()];
    const started = Date.now();
    await missedCall(hung);
    await eventually(
      () =>
        ActivityModel.exists({
          tenantId: tenant.id,
          type: 'message.unconfirmed',
          text: {
            $regex: `^template findo_missed_call to \\${hung}: outcome unknown \\(WhatsApp sendTemplate failed: request timed out\\)`,
          },
        }),
      10_000,
      'the hung request given up',
    );
    expect(Date.now() - started).toBeLessThan(1_000 + TIMEOUT_MS + 4_000);
    for (const c of others) await missedCall(c);
    await eventually(
      async () => others.every((c) => sentTo(c).length === 1),
      15_000,
      'the others sent while the first waits for its confirmation',
    );
    expect(sentTo(hung)).toHaveLength(0);
    await expectEachFollowedUpOnce([hung, ...others]);
  }, 60_000);

  const intent = (phone: string): OutboundIntent => ({
    tenantId: tenant.id,
    phone,
    audience: 'customer',
    idempotencyKey: `fault:${++seq}`,
    content: { kind: 'template', name: 'findo_missed_call', vars: { business: tenant.name } },
  });

  it('the database failing while the client is resolved leaves the message pending (never stranded in sending); the retry sends it once', async () => {
    const phone = newCustomer();
    const send = intent(phone);
    injected['database cut while resolving the client'] = 1;
    const failing = {
      ...h.findo.services,
      whatsappFor: async () => {
        h.proxy!.cut();
        throw new Error('token read failed: database unreachable');
      },
    };
    await expect(sendMessage(failing, send)).rejects.toThrow('token read failed');
    h.proxy!.restore();
    const message = await eventually(
      () => MessageModel.findOne({ tenantId: tenant.id, key: send.idempotencyKey }),
      20_000,
      'database back',
    );
    expect(message).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await sendMessage(h.findo.services, send)).toMatchObject({ status: 'sent' });
    expect(sentTo(phone)).toHaveLength(1);
  }, 60_000);

  it('the database failing right after WhatsApp accepted: recorded as sent once it is back, never sent again', async () => {
    const phone = newCustomer();
    const send = intent(phone);
    injected['database cut after accepting'] = 1;
    void h.whatsapp
      .waitForSent((m) => m.to === phone)
      .then(() => {
        h.proxy!.cut();
        setTimeout(() => h.proxy!.restore(), 1_500);
      });
    const outcome = await sendMessage(h.findo.services, send).catch((error: Error) => error);
    // What a retried job would do.
    await eventually(() => MessageModel.findOne({ tenantId: tenant.id, key: send.idempotencyKey }), 20_000, 'database back');
    await sendMessage(h.findo.services, send).catch(() => undefined);
    expect(outcome).toMatchObject({ status: 'sent' });
    expect(sentTo(phone)).toHaveLength(1);
    expect(await MessageModel.findOne({ tenantId: tenant.id, key: send.idempotencyKey })).toMatchObject({
      status: 'sent',
      waMessageId: sentTo(phone)[0].messageId,
    });
  }, 60_000);

  it('the database lost right after WhatsApp took a follow-up: the caller’s next missed call is not followed up again', async () => {
    const phone = newCustomer();
    injected['database cut after accepting a follow-up, until the job gives up'] = 1;
    void h.whatsapp.waitForSent((m) => m.to === phone, 20_000).then(() => h.proxy!.cut());
    // The job's run: WhatsApp has the message, but nothing after the send reaches the database.
    await expect(sendMissedCallFollowup(h.findo.services, tenant, phone, 'call-before-the-cut')).rejects.toThrow();
    h.proxy!.restore();
    await eventually(() => MessageModel.exists({ tenantId: tenant.id, key: 'missed-call:call-before-the-cut' }), 20_000, 'database back');

    await sendMissedCallFollowup(h.findo.services, tenant, phone, 'call-after-the-cut');
    expect(sentTo(phone)).toHaveLength(1);
    expect(
      await ActivityModel.exists({
        tenantId: tenant.id,
        type: 'message.skipped',
        text: `no follow-up to ${phone}: followed up within the last 12 hours`,
      }),
    ).toBeTruthy();
  }, 90_000);
});
