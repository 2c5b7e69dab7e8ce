/**
 * Flow F2 end to end: a Greeninvoice or iCount document webhook → one review request after the
 * (1-second) delay → one reminder after another; nothing for an opted-out customer or a tenant
 * without a review link; a customer's reply goes to the owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityModel, ReviewRequestModel, TenantModel, type Tenant, type ReviewRequest } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { greeninvoiceDocument } from '../../integrations/greeninvoice/fake.ts';
import { icountDocument } from '../../integrations/icount/fake.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { connectGoogle } from '../bot/flows/reviews-support.ts';
import { checkReviews } from '../../bot/flows/reviews/sync.ts';

const REVIEW_LINK = 'https://g.page/r/dani-plumbing/review';

describe('invoice → review request → reminder', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant, webhookKeys: keys } = await h.createTenant({ reviewLink: 'https://g.page/r/dani-plumbing/review' }));
    tenant = await setTenantSettings(tenant, ['reviewRequestDelay=1s', 'reviewReminderDelay=2s'], h.findo.services.vault);
  });
  afterAll(() => h?.stop());

  const templatesTo = (phone: string) => h.whatsapp.sent.filter((m) => m.to === phone).map((m) => m.template?.name);

  it('a Greeninvoice invoice-receipt leads to one request and one reminder, never more', async () => {
    const customer = '+972547650101';
    const doc = greeninvoiceDocument({ recipient: { name: 'דנה לוי', mobile: '054-765-0101' } });
    const first = await postProviderWebhook(h.webhookUrl('greeninvoice', keys.greeninvoice), doc as never);
    expect(first.status).toBe(200);
    // The same document delivered again is a duplicate and asks nothing twice.
    expect((await postProviderWebhook(h.webhookUrl('greeninvoice', keys.greeninvoice), doc as never)).json).toMatchObject({
      status: 'duplicate',
    });

    const request = await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    expect(request.template).toMatchObject({ name: 'findo_review_request', language: 'he' });
    expect(request.template!.bodyParams).toEqual(['דנה לוי', 'Dani Plumbing', 'https://g.page/r/dani-plumbing/review']);

    await eventually(async () => templatesTo(customer).includes('findo_review_reminder'), 20_000, 'the reminder');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(templatesTo(customer)).toEqual(['findo_review_request', 'findo_review_reminder']);
    expect(await ReviewRequestModel.findOne({ tenantId: tenant.id, phone: customer })).toMatchObject({
      status: 'reminded',
      provider: 'greeninvoice',
    });
  });

  it('an iCount document leads to one request; the customer’s reply reaches the owner', async () => {
    const customer = '+972547650202';
    const res = await postProviderWebhook(
      h.webhookUrl('icount', keys.icount),
      icountDocument({ docnum: 50001, client_name: 'יוסי כהן', phone: '054-765-0202' }) as never,
    );
    expect(res.json).toMatchObject({ status: 'accepted', eventId: 'ic:invrec:50001' });
    await h.whatsapp.waitForSent((m) => m.to === customer && m.template?.name === 'findo_review_request', 20_000);

    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: customer,
      text: 'היה שירות מעולה, תודה!',
    });
    const forwarded = await h.whatsapp.waitForSent(
      (m) => m.to === '+972547654321' && JSON.stringify(m.request).includes('שירות מעולה'),
      20_000,
    );
    expect(forwarded.to).toBe('+972547654321');
    await eventually(async () => h.whatsapp.sent.some((m) => m.to === customer && m.text?.includes('תודה על התגובה')), 20_000, 'thanks');
  });

  it('a review from the customer between request and reminder closes the request: no reminder', async () => {
    const { location } = await connectGoogle(h, tenant, { due: false });
    tenant = await setTenantSettings(tenant, ['reviewReminderDelay=4s'], h.findo.services.vault);
    const customer = '+972547650505';
    await postProviderWebhook(
      h.webhookUrl('icount', keys.icount),
      icountDocument({ docnum: 50005, client_name: 'רונית אברהם', phone: '054-765-0505' }) as never,
    );
    await h.whatsapp.waitForSent((m) => m.to === customer && m.template?.name === 'findo_review_request', 20_000);

    // The customer writes a review on Google (in English spelling); the next check sees it.
    h.google.addReview(location.name, {
      reviewer: { displayName: 'Ronit Avraham', isAnonymous: false },
      starRating: 'FIVE',
      comment: 'Great service!',
    });
    const summary = await checkReviews(h.findo.services, (await TenantModel.findById(tenant.id))!);
    expect(summary).toMatchObject({ requestsClosed: 1 });
    const closed = await eventually<ReviewRequest>(
      async () => await ReviewRequestModel.findOne({ tenantId: tenant.id, phone: customer, status: 'reviewed' }),
      15_000,
      'request closed by the review',
    );
    expect(closed.reviewId).toBeTruthy();

    await new Promise((r) => setTimeout(r, 5_000));
    expect(templatesTo(customer)).toEqual(['findo_review_request']);
    tenant = await setTenantSettings(tenant, ['reviewReminderDelay=2s'], h.findo.services.vault);
  });

  it('asks nobody who opted out, and nobody when the tenant has no review link', async () => {
    const optedOut = '+972547650303';
    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: optedOut, text: 'STOP' });
    await eventually(async () => h.whatsapp.sent.some((m) => m.to === optedOut), 20_000, 'opt-out confirmation');
    await postProviderWebhook(h.webhookUrl('icount', keys.icount), icountDocument({ docnum: 50002, phone: '054-765-0303' }) as never);
    await eventually<ReviewRequest>(
      async () => await ReviewRequestModel.findOne({ tenantId: tenant.id, phone: optedOut, status: 'skipped' }),
      20_000,
      'skipped request',
    );
    expect(templatesTo(optedOut).filter(Boolean)).toHaveLength(0);

    tenant = await setTenantSettings(tenant, ['reviewLink='], h.findo.services.vault);
    const noLink = '+972547650404';
    await postProviderWebhook(h.webhookUrl('icount', keys.icount), icountDocument({ docnum: 50003, phone: '054-765-0404' }) as never);
    const skipped = await eventually<ReviewRequest>(
      async () => await ReviewRequestModel.findOne({ tenantId: tenant.id, phone: noLink, status: 'skipped' }),
      20_000,
      'no-link skip',
    );
    expect(skipped.skipReason).toBe('no review link');
    expect(templatesTo(noLink)).toHaveLength(0);
  });

  it('a document issued longer ago than reviewRequestMaxAge (14d) is recorded and skipped, with the reason in the feed', async () => {
    const customer = '+972547650707';
    // A Morning document of 2017, re-sent by its webhook today.
    const doc = greeninvoiceDocument({ createdAt: Date.UTC(2017, 2, 1, 9), recipient: { name: 'רון', mobile: '054-765-0707' } });
    expect((await postProviderWebhook(h.webhookUrl('greeninvoice', keys.greeninvoice), doc as never)).json).toMatchObject({
      status: 'accepted',
    });
    const skipped = await eventually<ReviewRequest>(
      async () => await ReviewRequestModel.findOne({ tenantId: tenant.id, phone: customer }),
      20_000,
      'the recorded request',
    );
    expect(skipped).toMatchObject({
      status: 'skipped',
      skipReason: expect.stringContaining('issued 2017-03-01, longer ago than reviewRequestMaxAge (14d)'),
    });
    // The activity line is written just after the request: wait for it too.
    const line = await eventually(
      async () => await ActivityModel.findOne({ tenantId: tenant.id, type: 'review_request.skipped', ref: skipped.id }),
      10_000,
      'the activity line',
    );
    expect(line).toMatchObject({ text: expect.stringContaining('no review request, issued 2017-03-01') });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(templatesTo(customer)).toEqual([]);
  });

  it("reviewRequestMaxAge is the tenant's: a 20-day-old document is asked about under 30d", async () => {
    const customer = '+972547650808';
    tenant = await setTenantSettings(tenant, ['reviewRequestMaxAge=30d', `reviewLink=${REVIEW_LINK}`], h.findo.services.vault);
    try {
      const doc = greeninvoiceDocument({ createdAt: Date.now() - 20 * 24 * 3_600_000, recipient: { mobile: '054-765-0808' } });
      await postProviderWebhook(h.webhookUrl('greeninvoice', keys.greeninvoice), doc as never);
      await h.whatsapp.waitForSent((m) => m.to === customer && m.template?.name === 'findo_review_request', 20_000);
    } finally {
      tenant = await setTenantSettings(tenant, ['reviewRequestMaxAge=14d'], h.findo.services.vault);
    }
  });

  it("an iCount array of documents (its help-centre shape) asks each document's client, by the nested mobile", async () => {
    tenant = await setTenantSettings(tenant, [`reviewLink=${REVIEW_LINK}`], h.findo.services.vault);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Jerusalem' });
    // Shaped after iCount's help-centre example: an array, string values, `clientname`, a nested `client`.
    const body = [
      {
        doctype: 'invrec',
        docnum: '60001',
        doc_date: today,
        clientname: 'שרה',
        client: { phone: '03-9876543', mobile: '0547650909' },
        currency: '5',
        totalwithvat: '1170',
      },
      {
        doctype: 'receipt',
        docnum: '60002',
        doc_date: today,
        clientname: 'משה',
        client: { phone: '', mobile: '054-765-0910' },
        currency: '5',
        totalwithvat: '200',
      },
    ];
    const response = await fetch(h.webhookUrl('icount', keys.icount), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'accepted',
      eventId: 'ic:invrec:60001',
      eventIds: ['ic:invrec:60001', 'ic:receipt:60002'],
    });
    await h.whatsapp.waitForSent((m) => m.to === '+972547650909' && m.template?.name === 'findo_review_request', 20_000);
    await h.whatsapp.waitForSent((m) => m.to === '+972547650910' && m.template?.name === 'findo_review_request', 20_000);
  });
});
