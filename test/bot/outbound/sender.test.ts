/**
 * The outbound sender's policy (§6), one rule at a time, against the real service, its database,
 * its job workers and the fake WhatsApp over real HTTP.
 */
import { HDate, Location, Zmanim } from '@hebcal/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENDA_COLLECTION } from '../../../bot/agenda.ts';
import { ActivityModel, CustomerModel, MessageModel, type Tenant } from '../../../bot/db/models/index.ts';
import { parseQuietHours } from '../../../bot/durations.ts';
import { deliverMessage, IN_FLIGHT_MARGIN_MS, sendMessage, type OutboundIntent } from '../../../bot/outbound/sender.ts';
import { nextSendableTime, type SendPolicy } from '../../../bot/outbound/schedule.ts';
import { createTenant, setTenantSettings } from '../../../bot/tenants.ts';
import { t } from '../../../bot/texts/index.ts';
import { IntegrationError } from '../../../integrations/errors.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../../support/harness.ts';

const OWNER = '+972547654321';

let harness: Harness;
let tenant: Tenant;
let seq = 0;
let numberIdSeq = 0;

const freshMobile = () => `+97254${String(2_000_000 + ++seq).slice(-7)}`;
const key = (what: string) => `${what}:${++seq}`;
const sentTo = (phone: string) => harness.whatsapp.sent.filter((m) => m.to === phone);
const record = async (ref: string) => (await MessageModel.findOne({ tenantId: tenant.id, _id: ref }))!;
const jobs = () => harness.findo.database.connection.db!.collection(AGENDA_COLLECTION);
const services = () => harness.findo.services;
const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));

const template = (phone: string, over: Partial<OutboundIntent> = {}): OutboundIntent => ({
  tenantId: tenant.id,
  phone,
  audience: 'customer',
  idempotencyKey: key('tpl'),
  content: { kind: 'template', name: 'findo_missed_call', vars: { business: tenant.name } },
  ...over,
});
const text = (phone: string, body: string, over: Partial<OutboundIntent> = {}): OutboundIntent => ({
  tenantId: tenant.id,
  phone,
  audience: 'customer',
  idempotencyKey: key('txt'),
  content: { kind: 'text', text: body },
  ...over,
});

/** The missed-call template of `intent` as an earlier attempt left it recorded. */
const storeTemplate = (intent: OutboundIntent, state: { status: 'pending' | 'sending' | 'unconfirmed'; statusAt?: Date }) =>
  MessageModel.create({
    tenantId: tenant.id,
    direction: 'out',
    phone: intent.phone,
    audience: 'customer',
    key: intent.idempotencyKey,
    kind: 'template',
    text: 'missed call',
    template: { name: 'findo_missed_call', language: 'he', params: [tenant.name] },
    ...state,
  });

/** A second business on its own WhatsApp number, with the given settings. */
async function otherTenant(settings: string[]): Promise<Tenant> {
  const created = await createTenant(
    { name: `Other ${++numberIdSeq}`, ownerPhones: [OWNER], whatsappNumberId: `20000000000${numberIdSeq}` },
    services().vault,
  );
  return setTenantSettings(created.tenant, ['quietHours=off', 'observeShabbat=false', ...settings], services().vault);
}

/** The customer wrote just now: their 24-hour window is open. */
const openWindow = (tenantId: string, phone: string) =>
  CustomerModel.updateOne({ tenantId, phone }, { $set: { lastInboundAt: new Date() } }, { upsert: true });

/** "HH:MM" on the tenant's (Israel's) clock, `offsetMinutes` from now. */
function israelClock(offsetMinutes: number): string {
  return new Date(Date.now() + offsetMinutes * 60_000).toLocaleTimeString('en-GB', {
    timeZone: 'Asia/Jerusalem',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

beforeAll(async () => {
  harness = await startHarness(import.meta.filename);
  ({ tenant } = await harness.createTenant());
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Shabbat', () => {
  it('a template due on Friday evening for a tenant observing Shabbat is deferred to after Saturday’s tzeit, with its send-message job', async () => {
    const shabbatTenant = await otherTenant(['observeShabbat=true']);
    const phone = freshMobile();
    // A Friday evening after sunset, a few weeks ahead of the real clock (so the job is not due).
    const friday = new Date(Date.now() + 21 * 86_400_000);
    while (friday.getUTCDay() !== 5) friday.setUTCDate(friday.getUTCDate() + 1);
    const jerusalem = Location.lookup('Jerusalem')!;
    const fridaySunset = new Zmanim(
      jerusalem,
      new HDate(new Date(friday.getUTCFullYear(), friday.getUTCMonth(), friday.getUTCDate(), 12)),
      false,
    ).sunset();
    const fridayEvening = new Date(fridaySunset.getTime() + 30 * 60_000);
    const saturday = new Date(friday.getUTCFullYear(), friday.getUTCMonth(), friday.getUTCDate() + 1, 12);
    const saturdayTzeit = new Zmanim(jerusalem, new HDate(saturday), false).tzeit();

    const message = await MessageModel.create({
      tenantId: shabbatTenant.id,
      direction: 'out',
      phone,
      audience: 'customer',
      key: key('shabbat'),
      kind: 'template',
      text: 'missed call',
      template: { name: 'findo_missed_call', language: 'he', params: [shabbatTenant.name] },
      status: 'pending',
    });
    vi.useFakeTimers({ toFake: ['Date'], now: fridayEvening });
    const outcome = await deliverMessage(services(), shabbatTenant, message);
    vi.useRealTimers();

    const policy: SendPolicy = { timezone: 'Asia/Jerusalem', quietHours: 'off', observeShabbat: true };
    expect(outcome.status).toBe('deferred');
    expect(outcome.sendAfter).toEqual(nextSendableTime(fridayEvening, policy));
    expect(outcome.sendAfter!.getTime()).toBeGreaterThan(saturdayTzeit.getTime());
    expect(outcome.sendAfter!.getTime() - saturdayTzeit.getTime()).toBeLessThan(2 * 60_000);
    const stored = await MessageModel.findOne({ tenantId: shabbatTenant.id, _id: message.id });
    expect(stored!.status).toBe('deferred');
    expect(stored!.sendAfter).toEqual(outcome.sendAfter);
    const job = await jobs().findOne({ name: 'send-message', 'data.messageRef': message.id });
    expect(job?.nextRunAt).toEqual(outcome.sendAfter);
    expect(sentTo(phone)).toHaveLength(0);
    expect(await ActivityModel.countDocuments({ tenantId: shabbatTenant.id, type: 'message.deferred', ref: message.id })).toBe(1);
  });

  it('on the real clock, a template for a tenant observing Shabbat goes out exactly when nextSendableTime says', async () => {
    const shabbatTenant = await otherTenant(['observeShabbat=true']);
    const phone = freshMobile();
    const policy: SendPolicy = { timezone: 'Asia/Jerusalem', quietHours: 'off', observeShabbat: true };
    const before = new Date();
    const outcome = await sendMessage(services(), template(phone, { tenantId: shabbatTenant.id }));
    const expected = nextSendableTime(before, policy);
    if (expected.getTime() > before.getTime()) {
      expect(outcome).toMatchObject({ status: 'deferred', sendAfter: expected });
      expect((await jobs().findOne({ name: 'send-message', 'data.messageRef': outcome.messageRef }))?.nextRunAt).toEqual(expected);
    } else {
      expect(outcome.status).toBe('sent');
      expect(sentTo(phone)).toHaveLength(1);
    }
  });
});

describe('quiet hours', () => {
  it('a template inside quiet hours is deferred to their end, with a send-message job at that time', async () => {
    const quiet = `${israelClock(-60)}-${israelClock(60)}`;
    const quietTenant = await otherTenant([`quietHours=${quiet}`]);
    const phone = freshMobile();
    const now = new Date();
    const outcome = await sendMessage(services(), template(phone, { tenantId: quietTenant.id }));
    const expected = nextSendableTime(now, { timezone: 'Asia/Jerusalem', quietHours: parseQuietHours(quiet), observeShabbat: false });
    expect(expected.getTime()).toBeGreaterThan(now.getTime() + 55 * 60_000);
    expect(outcome).toMatchObject({ status: 'deferred', sendAfter: expected });
    const job = await jobs().findOne({ name: 'send-message', 'data.messageRef': outcome.messageRef });
    expect(job?.nextRunAt).toEqual(expected);
    await settle();
    expect(sentTo(phone)).toHaveLength(0);
  });

  it('inside quiet hours, a reply inside the customer’s window goes now, and owner alerts wait unless ownerAlertsAnytime', async () => {
    const quiet = `${israelClock(-60)}-${israelClock(60)}`;
    const quietTenant = await otherTenant([`quietHours=${quiet}`]);
    const phone = freshMobile();
    await openWindow(quietTenant.id, phone);
    await openWindow(quietTenant.id, OWNER);
    expect((await sendMessage(services(), text(phone, 'תודה!', { tenantId: quietTenant.id }))).status).toBe('sent');
    const owner = await sendMessage(services(), text(OWNER, 'new lead', { tenantId: quietTenant.id, audience: 'owner' }));
    expect(owner.status).toBe('deferred');

    const anytime = await otherTenant([`quietHours=${quiet}`, 'ownerAlertsAnytime=true']);
    await openWindow(anytime.id, OWNER);
    expect((await sendMessage(services(), text(OWNER, 'new lead', { tenantId: anytime.id, audience: 'owner' }))).status).toBe('sent');
  });
});

describe('policy', () => {
  it('a paused tenant sends nothing to customers, but consent confirmations and the owner’s chat go on', async () => {
    const paused = await otherTenant(['paused=true']);
    const phone = freshMobile();
    await openWindow(paused.id, phone);
    await openWindow(paused.id, OWNER);
    const outcome = await sendMessage(services(), template(phone, { tenantId: paused.id }));
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'paused' });
    expect((await sendMessage(services(), text(phone, 'hi', { tenantId: paused.id }))).reason).toBe('paused');
    expect((await sendMessage(services(), text(phone, 'bye', { tenantId: paused.id, consentConfirmation: true }))).status).toBe('sent');
    expect((await sendMessage(services(), text(OWNER, 'paused', { tenantId: paused.id, audience: 'owner' }))).status).toBe('sent');
    expect(sentTo(phone).map((m) => m.text)).toEqual(['bye']);
    expect(await ActivityModel.countDocuments({ tenantId: paused.id, type: 'message.skipped', ref: outcome.messageRef })).toBe(1);
  });

  it('an Israeli landline is recorded as skipped and nothing is sent', async () => {
    const landline = '+97236123456';
    const outcome = await sendMessage(services(), template(landline));
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'landline' });
    expect((await record(outcome.messageRef)).status).toBe('skipped');
    expect(sentTo(landline)).toHaveLength(0);
  });

  it('free-form text outside the 24-hour window is skipped for a customer', async () => {
    const phone = freshMobile();
    const outcome = await sendMessage(services(), text(phone, 'hello'));
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'window_closed' });
    await CustomerModel.updateOne(
      { tenantId: tenant.id, phone },
      { $set: { lastInboundAt: new Date(Date.now() - 25 * 3_600_000) } },
      { upsert: true },
    );
    expect((await sendMessage(services(), text(phone, 'hello again'))).reason).toBe('window_closed');
    await openWindow(tenant.id, phone);
    expect((await sendMessage(services(), text(phone, 'now it goes'))).status).toBe('sent');
    expect(sentTo(phone).map((m) => m.text)).toEqual(['now it goes']);
  });

  it('an owner alert outside the owner’s window becomes the findo_owner_alert template; inside it, free-form text', async () => {
    const owner = '+972501234567';
    const alertTenant = await otherTenant([]);
    await setTenantSettings(alertTenant, [`ownerPhones=${owner}`], services().vault);
    const closed = await sendMessage(services(), text(owner, 'ליד חדש: דנה, 052-1234567', { tenantId: alertTenant.id, audience: 'owner' }));
    expect(closed.status).toBe('sent');
    const [asTemplate] = sentTo(owner);
    expect(asTemplate.type).toBe('template');
    expect(asTemplate.template).toMatchObject({ name: 'findo_owner_alert', bodyParams: ['ליד חדש: דנה, 052-1234567'] });
    expect((await MessageModel.findOne({ tenantId: alertTenant.id, _id: closed.messageRef }))!.kind).toBe('template');

    await openWindow(alertTenant.id, owner);
    await sendMessage(services(), text(owner, 'second alert', { tenantId: alertTenant.id, audience: 'owner' }));
    expect(sentTo(owner)[1]).toMatchObject({ type: 'text', text: 'second alert' });
  });
});

describe('opt-out and opt-in over WhatsApp', () => {
  const webhook = () => `${harness.url}/webhooks/whatsapp`;
  const say = async (phone: string, words: string) => {
    const delivery = await harness.whatsapp.deliverInbound(webhook(), { phoneNumberId: BUSINESS_NUMBER_ID, from: phone, text: words });
    await eventually(
      () => MessageModel.findOne({ tenantId: tenant.id, key: `in:${delivery.messageId}`, statusAt: { $exists: true } }),
      10_000,
      `"${words}" handled`,
    );
    await settle(300);
  };
  const confirmations = (phone: string, which: 'consent.optedOut' | 'consent.optedIn') =>
    sentTo(phone).filter((m) => m.text === t('he', which));
  const optedOut = async (phone: string) => (await CustomerModel.findOne({ tenantId: tenant.id, phone }))?.optedOut ?? false;

  it('STOP opts out and is confirmed once; messages are then skipped; START opts back in, confirmed once', async () => {
    const phone = freshMobile();
    await say(phone, 'STOP');
    expect(await optedOut(phone)).toBe(true);
    expect(confirmations(phone, 'consent.optedOut')).toHaveLength(1);
    await say(phone, 'הסר 🙏');
    expect(confirmations(phone, 'consent.optedOut')).toHaveLength(1);
    const sentBefore = sentTo(phone).length;

    const blocked = await sendMessage(services(), template(phone));
    expect(blocked).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(sentTo(phone)).toHaveLength(sentBefore);

    await say(phone, 'START');
    expect(await optedOut(phone)).toBe(false);
    expect(confirmations(phone, 'consent.optedIn')).toHaveLength(1);
    await say(phone, 'התחל');
    expect(confirmations(phone, 'consent.optedIn')).toHaveLength(1);
    expect((await sendMessage(services(), template(phone))).status).toBe('sent');
  });

  it('"stop the bill" is not an opt-out', async () => {
    const phone = freshMobile();
    await say(phone, 'stop the bill');
    expect(await optedOut(phone)).toBe(false);
    expect(confirmations(phone, 'consent.optedOut')).toHaveLength(0);
  });
});

describe('idempotency and WhatsApp errors', () => {
  it('a retried job after a crash between "decided" (recorded pending) and "sent" sends exactly once', async () => {
    const phone = freshMobile();
    const intent = template(phone);
    // The first run recorded the message and died before talking to WhatsApp.
    await storeTemplate(intent, { status: 'pending' });
    const retried = await sendMessage(services(), intent);
    expect(retried.status).toBe('sent');
    const again = await sendMessage(services(), intent);
    expect(again).toMatchObject({ status: 'sent', messageRef: retried.messageRef, waMessageId: retried.waMessageId });
    const concurrent = await Promise.all([sendMessage(services(), intent), sendMessage(services(), intent)]);
    expect(concurrent.map((o) => o.status)).toEqual(['sent', 'sent']);
    expect(sentTo(phone)).toHaveLength(1);
    expect(await MessageModel.countDocuments({ tenantId: tenant.id, key: intent.idempotencyKey })).toBe(1);
  });

  it('a message stranded in "sending" waits for its confirmation deadline with a check job, then is sent again once, the decision recorded', async () => {
    const phone = freshMobile();
    const intent = template(phone);
    const stranded = await storeTemplate(intent, { status: 'sending', statusAt: new Date() });
    expect((await sendMessage(services(), intent)).status).toBe('in_flight');
    const { timeoutMs, confirmWaitMs } = services().config.whatsapp;
    const check = await jobs().findOne({ name: 'send-message', 'data.messageRef': stranded.id });
    expect(check!.nextRunAt.getTime()).toBe(stranded.statusAt!.getTime() + timeoutMs + IN_FLIGHT_MARGIN_MS + confirmWaitMs);
    expect(sentTo(phone)).toHaveLength(0);

    // Past the deadline, with no status webhook: nothing can have it in flight, so it goes again.
    await MessageModel.updateOne(
      { tenantId: tenant.id, _id: stranded._id },
      { $set: { statusAt: new Date(Date.now() - timeoutMs - IN_FLIGHT_MARGIN_MS - confirmWaitMs - 1) } },
    );
    expect(await sendMessage(services(), intent)).toMatchObject({ status: 'sent' });
    expect(await sendMessage(services(), intent)).toMatchObject({ status: 'sent' });
    expect(sentTo(phone)).toHaveLength(1);
    expect(sentTo(phone)[0].callbackData).toBe(intent.idempotencyKey);
    expect((await record(stranded.id)).outcome).toMatchObject({ decision: 'resent' });
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'message.resent', ref: stranded.id })).toBe(1);
  });

  it('an unconfirmed message whose status webhook echoes its key is confirmed and never sent again', async () => {
    const phone = freshMobile();
    const intent = template(phone);
    const unconfirmed = await storeTemplate(intent, { status: 'unconfirmed', statusAt: new Date() });
    const delivery = await harness.whatsapp.deliverStatus(`${harness.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      messageId: 'wamid.lost-answer',
      recipient: phone,
      status: 'delivered',
      callbackData: intent.idempotencyKey,
    });
    expect(delivery.status).toBe(200);
    await eventually(async () => (await record(unconfirmed.id)).status === 'delivered', 10_000, 'confirmed by its status');
    await MessageModel.updateOne({ tenantId: tenant.id, _id: unconfirmed._id }, { $set: { statusAt: new Date(0) } });
    expect(await sendMessage(services(), intent)).toMatchObject({ status: 'sent', waMessageId: 'wamid.lost-answer' });
    expect(sentTo(phone)).toHaveLength(0);
    expect((await record(unconfirmed.id)).outcome).toMatchObject({ decision: 'confirmed' });
  });

  it('131047 (re-engagement) is recorded as failed and never retried', async () => {
    const phone = freshMobile();
    const intent = template(phone);
    harness.whatsapp.failNext(131047);
    const outcome = await sendMessage(services(), intent);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'whatsapp_131047' });
    const failed = await record(outcome.messageRef);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ kind: 'permanent', code: 131047 });
    expect(await sendMessage(services(), intent)).toMatchObject({ status: 'failed', reason: 'whatsapp_131047' });
    expect(sentTo(phone)).toHaveLength(0);
    expect(harness.whatsapp.rejected.filter((m) => m.to === phone)).toHaveLength(1);
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'message.failed', ref: outcome.messageRef })).toBe(1);
  });

  it('130429 (rate limit) leaves the message pending and throws so the job retries; the retry sends it once', async () => {
    const phone = freshMobile();
    const intent = template(phone);
    harness.whatsapp.failNext(130429);
    const error = await sendMessage(services(), intent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect((error as IntegrationError).kind).toBe('rate_limited');
    const [pending] = await MessageModel.find({ tenantId: tenant.id, key: intent.idempotencyKey });
    expect(pending.status).toBe('pending');
    expect(pending.error).toMatchObject({ kind: 'rate_limited', code: 130429 });

    const retried = await sendMessage(services(), intent);
    expect(retried.status).toBe('sent');
    expect(await sendMessage(services(), intent)).toMatchObject({ status: 'sent' });
    expect(sentTo(phone)).toHaveLength(1);
    expect((await record(retried.messageRef)).attempts).toBe(2);
  });

  it('a rate-limited deferred send is retried by its send-message job and sent once', async () => {
    const phone = freshMobile();
    const message = await MessageModel.create({
      tenantId: tenant.id,
      direction: 'out',
      phone,
      audience: 'customer',
      key: key('job'),
      kind: 'template',
      text: 'missed call',
      template: { name: 'findo_missed_call', language: 'he', params: [tenant.name] },
      status: 'deferred',
      sendAfter: new Date(Date.now() - 1_000),
    });
    harness.whatsapp.failNext(130429);
    await services().enqueue('send-message', { tenantId: tenant.id, messageRef: message.id, sendAfter: new Date().toISOString() });
    await eventually(() => Promise.resolve(harness.whatsapp.rejected.some((m) => m.to === phone)), 10_000, 'first attempt rate-limited');
    // Agenda's backoff retries after ~5 s.
    await harness.whatsapp.waitForSent((m) => m.to === phone, 20_000);
    await settle();
    expect(sentTo(phone)).toHaveLength(1);
    expect((await record(message.id)).status).toBe('sent');
  }, 30_000);
});
