/**
 * Crashes inside each flow (issue 15): the job worker is a separate process, killed (SIGKILL) while
 * a flow's step is under way — the fake WhatsApp or Google holds its request open — and started
 * again. The work is done exactly once, within 30 s of the restart: the restarted worker takes back
 * its jobs and locks at once; a message its previous life left `sending` is sent again once no
 * request can be in flight and no status came for it (short timeouts here through the service's
 * settings); a reply left `posting` is posted by the job's next run.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import { MessageModel, ReviewModel, type Tenant } from '../../bot/db/models/index.ts';
import { checkReviews } from '../../bot/flows/reviews/sync.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { greeninvoiceDocument } from '../../integrations/greeninvoice/fake.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { connectGoogle, sentTo } from '../bot/flows/reviews-support.ts';
import { DONE_AFTER_RESTART_MS, settle, startCrashScenario, type CrashScenario } from '../support/crash-scenario.ts';
import { BUSINESS_NUMBER_ID, type Harness } from '../support/harness.ts';

const TIMEOUT_MS = 5_000;
const CONFIRM_WAIT_MS = 1_000;
const OWNER = '+972547654321';

describe('a worker killed inside a flow', () => {
  let crash: CrashScenario;
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    crash = await startCrashScenario(import.meta.filename, {
      env: { WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS), WHATSAPP_CONFIRM_WAIT_MS: String(CONFIRM_WAIT_MS) },
    });
    h = crash.h;
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s', 'reviewRequestDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => crash?.stop());

  /** The message to `phone` is marked sending and its request held open at the fake WhatsApp. */
  const beingSent = (phone: string) => async () => (await MessageModel.findOne({ tenantId: tenant.id, phone, status: 'sending' })) !== null;

  /** Kills the worker while its next WhatsApp send to `phone` hangs, restarts it, and waits for `sent` to hold one message. */
  async function killWhileSending(phone: string, sent: () => unknown[], what: string): Promise<number> {
    await crash.killWhen(beingSent(phone), `${what} being sent`);
    expect(sent()).toHaveLength(0);
    const tookMs = await crash.restartUntil(async () => sent().length === 1, `${what} after the restart`);
    // Nothing more arrives: sent once.
    await settle();
    expect(sent()).toHaveLength(1);
    expect(tookMs).toBeLessThan(DONE_AFTER_RESTART_MS);
    return tookMs;
  }

  it('missed call: killed while its follow-up is being sent, it goes out once within 30 s of the restart', async () => {
    const caller = '+972527653333';
    const followups = () => h.whatsapp.sent.filter((m) => m.to === caller && m.template?.name === 'findo_missed_call');
    h.whatsapp.failNext(131000, { hang: true });
    const answer = await postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: 'crash-in-send' }) as never,
    );
    expect(answer.status).toBe(200);
    const tookMs = await killWhileSending(caller, followups, 'the follow-up');
    const message = await MessageModel.findOne({ tenantId: tenant.id, phone: caller });
    console.log(`missed call, killed inside the send: followed up ${tookMs} ms after the restart (${message?.outcome?.decision})`);
    expect(message).toMatchObject({ status: 'sent', outcome: { decision: 'resent' } });
  }, 90_000);

  it('review request: killed while the request is being sent, it goes out once within 30 s of the restart', async () => {
    const customer = '+972547650909';
    const requests = () => h.whatsapp.sent.filter((m) => m.to === customer && m.template?.name === 'findo_review_request');
    h.whatsapp.failNext(131000, { hang: true });
    const doc = greeninvoiceDocument({ recipient: { name: 'דנה לוי', mobile: '054-765-0909' } });
    expect((await postProviderWebhook(h.webhookUrl('greeninvoice', keys.greeninvoice), doc as never)).status).toBe(200);
    const tookMs = await killWhileSending(customer, requests, 'the review request');
    console.log(`review request, killed inside the send: sent ${tookMs} ms after the restart`);
    expect(await MessageModel.findOne({ tenantId: tenant.id, phone: customer })).toMatchObject({ status: 'sent' });
  }, 90_000);

  it('review approval: killed while the approved reply is being posted, it is posted once within 30 s of the restart', async () => {
    const connected = await connectGoogle(h, tenant, { due: false });
    const location = connected.location;
    tenant = connected.tenant;
    const review = h.google.addReview(location.name, {
      starRating: 'TWO',
      reviewer: { displayName: 'Gil Peretz', isAnonymous: false },
      comment: 'הטכנאי איחר בשעה',
    });
    const posted = () => h.google.repliesReceived.filter((r) => r.reviewName === review.name);
    const toldPosted = () => sentTo(h, OWNER).filter((w) => w.includes('פורסמה בגוגל'));
    await checkReviews(h.findo.services, tenant);
    await crash.timeUntil(async () => sentTo(h, OWNER).some((w) => w.includes('הטכנאי איחר בשעה')), 'the draft to the owner');

    h.google.failNext({ method: 'PUT', path: /\/reply$/ }, { status: 500, hang: true });
    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: OWNER, text: 'אשר' });
    await crash.killWhen(() => Promise.resolve(h.google.requests.some((r) => r.status === 0)), 'the reply being posted');
    expect(posted()).toHaveLength(0);

    const tookMs = await crash.restartUntil(
      async () => posted().length === 1 && toldPosted().length === 1,
      'the reply posted after the restart',
    );
    await settle();
    console.log(`review approval, killed inside the post: posted ${tookMs} ms after the restart`);
    expect(posted()).toHaveLength(1);
    expect(toldPosted()).toHaveLength(1);
    expect(await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId })).toMatchObject({
      reply: { state: 'posted' },
    });
    expect(tookMs).toBeLessThan(DONE_AFTER_RESTART_MS);
  }, 90_000);

  it('weekly digest: killed while the digest is being sent, it goes out once within 30 s of the restart', async () => {
    const digests = () => h.whatsapp.sent.filter((m) => m.to === OWNER && JSON.stringify(m.request).includes('לידים חדשים'));
    h.whatsapp.failNext(131000, { hang: true });
    // Sunday 09:00 has come: the recurring job is due now.
    await mongoose.connection.db!.collection(AGENDA_COLLECTION).updateOne({ name: 'weekly-digest' }, { $set: { nextRunAt: new Date() } });
    const tookMs = await killWhileSending(OWNER, digests, 'the digest');
    console.log(`weekly digest, killed inside the send: sent ${tookMs} ms after the restart`);
  }, 90_000);
});
