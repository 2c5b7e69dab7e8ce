/**
 * Flow F1 end to end: a signed Voicenter missed call → the WhatsApp template after the follow-up
 * delay → the customer's replies as signed WhatsApp webhooks → the lead saved and every owner told.
 * Real server, real Agenda workers, real database; fake WhatsApp over real HTTP.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActivityModel,
  ConversationModel,
  CustomerModel,
  LeadModel,
  MessageModel,
  type Tenant,
  type Lead,
  type Customer,
} from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { JOB_KEY_COLLECTION } from '../../jobs/queue.ts';
import { runCli } from '../support/cli.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNERS = ['+972547654321', '+972507654321'];

describe('missed call → WhatsApp lead capture', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;
  let callCounter = 0;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant, webhookKeys: keys } = await h.createTenant({ ownerPhones: ['054-765-4321', '050-765-4321'] }));
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => h?.stop());

  const missedCall = (caller: string) =>
    postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: `call-${Date.now()}-${++callCounter}` }) as never,
    );
  const reply = (from: string, text: string) =>
    h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from, text });
  const sentTo = (phone: string) => h.whatsapp.sent.filter((m) => m.to === phone);
  /** Waits until the follow-up to `phone` was due and not sent, for `reason`. */
  const followupSkipped = (phone: string, reason: string) =>
    eventually(
      () => ActivityModel.exists({ tenantId: tenant.id, type: 'message.skipped', text: `no follow-up to ${phone}: ${reason}` }),
      20_000,
      `follow-up to ${phone} skipped: ${reason}`,
    );
  const textsTo = (phone: string) => sentTo(phone).map((m) => m.text ?? m.template?.name ?? '');

  it('captures a lead from one Hebrew free-text answer and tells every owner', async () => {
    const customer = '+972527659876';
    // The first owner wrote recently (open 24-hour window); the second did not.
    await reply(OWNERS[0], 'עזרה');
    await h.whatsapp.waitForSent((m) => m.to === OWNERS[0], 20_000);
    const call = await missedCall('052-765-9876');
    expect(call.status).toBe(200);
    expect(call.json).toMatchObject({ status: 'accepted', Err: 0 });

    const template = await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    expect(template.template).toMatchObject({ name: 'findo_missed_call', language: 'he' });
    expect(template.template!.bodyParams).toEqual(['Dani Plumbing']);

    await reply(customer, 'אני דני, צריך תיקון לדוד שמש, אפשר מחר אחרי 4');
    const lead = await eventually<Lead>(
      async () => await LeadModel.findOne({ tenantId: tenant.id, phone: customer, status: 'new' }),
      20_000,
      'the lead',
    );
    expect(lead).toMatchObject({
      name: 'דני',
      need: expect.stringContaining('דוד שמש'),
      preferredTime: expect.stringContaining('מחר'),
      source: 'missed_call',
    });

    const inWindow = await h.whatsapp.waitForSent((m) => m.to === OWNERS[0] && m.type === 'interactive', 20_000);
    expect(inWindow.text).toContain('דני');
    expect(inWindow.text).toContain('052-765-9876');
    expect(inWindow.buttons?.map((b) => b.id)).toEqual([`lead:${lead.id}:calling_back`, `lead:${lead.id}:done`]);
    // Outside the window the same alert goes as the approved owner-alert template.
    const outside = await h.whatsapp.waitForSent((m) => m.to === OWNERS[1], 20_000);
    expect(outside.template?.name).toBe('findo_owner_alert');
    expect(outside.template?.bodyParams[0]).toContain('דני');
    expect(outside.template?.bodyParams[0]).toContain('052-765-9876');
    const thanks = await eventually(async () => textsTo(customer).find((t) => t.includes('תודה')));
    expect(thanks).toContain('דני');

    const cli = await runCli(['leads', 'list', '--tenant', tenant.slug, '--json'], h.env);
    expect(cli.code).toBe(0);
    const listed = cli.json();
    const rows = Array.isArray(listed) ? listed : listed.leads;
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ phone: customer, name: 'דני' })]));
  });

  it('asks name, need and time one by one, and the owner’s button updates the lead', async () => {
    const customer = '+972527650001';
    await missedCall('0527650001');
    await h.whatsapp.waitForSent((m) => m.to === customer && m.template?.name === 'findo_missed_call', 20_000);
    const answers = ['היי', 'משה', 'תיקון מזגן שמטפטף', 'מחר בבוקר'];
    for (const [i, answer] of answers.entries()) {
      await reply(customer, answer);
      // One bot answer per customer message, in order.
      await eventually(async () => sentTo(customer).length >= i + 2, 20_000, `bot answer ${i + 1}`);
    }
    const lead = await eventually<Lead>(
      async () => await LeadModel.findOne({ tenantId: tenant.id, phone: customer, status: 'new' }),
      20_000,
      'lead',
    );
    expect(lead).toMatchObject({ name: 'משה', need: 'תיקון מזגן שמטפטף', preferredTime: 'מחר בבוקר' });

    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNERS[0],
      buttonReply: { id: `lead:${lead.id}:done`, title: 'טופל' },
    });
    await eventually(async () => (await LeadModel.findOne({ tenantId: tenant.id, _id: lead._id }))?.status === 'done', 20_000, 'lead done');
  });

  it('three calls in a minute from one number send one message', async () => {
    const customer = '+972527650002';
    await Promise.all([missedCall('052-765-0002'), missedCall('052-765-0002'), missedCall('052-765-0002')]);
    await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(sentTo(customer)).toHaveLength(1);
    // The follow-up's uniqueness key leaves with its run: the key collection holds only what is pending.
    const followupKey = `missed-call-followup:${JSON.stringify({ 'data.tenantId': tenant.id, 'data.phone': customer })}`;
    await eventually(
      async () =>
        (await mongoose.connection.db!.collection<{ _id: string }>(JOB_KEY_COLLECTION).countDocuments({ _id: followupKey })) === 0,
      5_000,
      'the follow-up key removed',
    );
  });

  it('a second call from the same number within 12 hours sends nothing', async () => {
    const customer = '+972527650003';
    await missedCall('052-765-0003');
    await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    // The conversation ends (opt-out closes it), then the same number calls again.
    await reply(customer, 'הסר');
    await eventually<Customer>(async () => await CustomerModel.findOne({ tenantId: tenant.id, phone: customer, optedOut: true }));
    await reply(customer, 'התחל');
    await eventually(async () => textsTo(customer).some((t) => t.includes('חזרת לקבל')), 20_000, 'opt-in confirmation');
    const before = sentTo(customer).length;
    await missedCall('052-765-0003');
    await followupSkipped(customer, 'followed up within the last 12 hours');
    expect(sentTo(customer)).toHaveLength(before);
  });

  it('a landline caller and an owner calling their own business get nothing', async () => {
    await missedCall('02-6234567');
    await missedCall('054-765-4321');
    await followupSkipped('+97226234567', 'landline: not reachable on WhatsApp');
    await followupSkipped(OWNERS[0], 'the caller is an owner of the business');
    expect(sentTo('+97226234567')).toHaveLength(0);
    expect(sentTo(OWNERS[0]).filter((m) => m.template?.name === 'findo_missed_call')).toHaveLength(0);
    const skipped = await MessageModel.countDocuments({ tenantId: tenant.id, phone: '+97226234567', status: 'sent' });
    expect(skipped).toBe(0);
  });

  it('a customer writing from a landline-looking number is on WhatsApp: answered, and the conversation advances', async () => {
    const customer = '+97297650011'; // 09-765-0011, a fixed-line range
    await reply(customer, 'שלום, אני צריך אינסטלטור');
    await eventually(async () => sentTo(customer).length >= 2, 20_000, 'greeting and first question delivered');
    expect(await MessageModel.countDocuments({ tenantId: tenant.id, phone: customer, direction: 'out', status: 'skipped' })).toBe(0);
    expect(await ConversationModel.findOne({ tenantId: tenant.id, phone: customer, kind: 'lead_capture' })).toMatchObject({
      status: 'open',
      state: 'askingName',
    });
  });

  it('a question that fails for good ends the conversation, visibly, and nothing more is asked', async () => {
    const customer = '+972527650012';
    h.whatsapp.failNext(131026); // undeliverable: permanent
    await reply(customer, 'היי, צריך עזרה עם דוד');
    const conversation = await eventually(
      async () => {
        const c = await ConversationModel.findOne({ tenantId: tenant.id, phone: customer, kind: 'lead_capture' });
        return c?.status === 'closed' && c;
      },
      20_000,
      'conversation ended',
    );
    expect(conversation).toMatchObject({ state: 'undelivered', closedReason: 'whatsapp_131026' });
    await eventually(
      () =>
        ActivityModel.exists({
          tenantId: tenant.id,
          type: 'conversation.closed',
          ref: conversation.id,
          text: { $regex: 'not delivered \\(whatsapp_131026\\)' },
        }),
      10_000,
      'the activity line',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sentTo(customer)).toHaveLength(0);
  });

  it('"נציג" hands the customer to the owner and the bot goes quiet', async () => {
    const customer = '+972527650004';
    await missedCall('052-765-0004');
    await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    const ownerBefore = sentTo(OWNERS[0]).length;
    await reply(customer, 'נציג');
    await eventually(async () => textsTo(customer).some((t) => t.includes('יחזור אליך')), 20_000, 'handoff answer');
    await eventually(async () => sentTo(OWNERS[0]).length > ownerBefore, 20_000, 'owner handoff alert');
    expect(sentTo(OWNERS[0]).at(-1)!.text).toContain('765-0004');
    const customerCount = sentTo(customer).length;
    await reply(customer, 'מתי תתקשרו?');
    await eventually(async () => sentTo(OWNERS[0]).some((m) => m.text?.includes('מתי תתקשרו?')), 20_000, 'forwarded message');
    expect(sentTo(customer)).toHaveLength(customerCount);
    expect(await LeadModel.findOne({ tenantId: tenant.id, phone: customer })).toMatchObject({ status: 'handoff' });
  });

  it('opting out mid-conversation ends it with one confirmation', async () => {
    const customer = '+972527650005';
    await missedCall('052-765-0005');
    await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    await reply(customer, 'היי');
    await eventually(async () => sentTo(customer).length >= 2);
    await reply(customer, 'הסר');
    await eventually(async () => textsTo(customer).some((t) => t.includes('הוסרת')), 20_000, 'opt-out confirmation');
    await reply(customer, 'הסר');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(textsTo(customer).filter((t) => t.includes('הוסרת'))).toHaveLength(1);
    const conversation = await ConversationModel.findOne({ tenantId: tenant.id, phone: customer, kind: 'lead_capture' });
    expect(conversation).toMatchObject({ status: 'closed', state: 'optedOut' });
  });

  it('silence: one nudge inside the window, then the conversation closes with a partial lead', async () => {
    const customer = '+972527650006';
    tenant = await setTenantSettings(tenant, ['leadNudgeDelay=1s'], h.findo.services.vault);
    try {
      await missedCall('052-765-0006');
      await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
      await reply(customer, 'היי, מה המחיר לתיקון?');
      const lead = await eventually<Lead>(
        async () => await LeadModel.findOne({ tenantId: tenant.id, phone: customer, status: 'partial' }),
        30_000,
        'partial lead',
      );
      expect(textsTo(customer).filter((t) => t.includes('רק מוודאים'))).toHaveLength(1);
      expect(lead.need ?? lead.name ?? '').not.toBe('');
      await eventually(async () => sentTo(OWNERS[0]).some((m) => m.text?.includes('765-0006')), 20_000, 'owner partial alert');
      expect(await ConversationModel.findOne({ tenantId: tenant.id, phone: customer })).toMatchObject({
        status: 'closed',
        state: 'closed',
      });
    } finally {
      tenant = await setTenantSettings(tenant, ['leadNudgeDelay=3h'], h.findo.services.vault);
    }
  });
});
