/**
 * Flow F3's decisions and the review check, driven directly against the real database, the real
 * service's workers and the fake Google and WhatsApp over HTTP: scheduling, name matching of
 * review requests, paging and edits, concurrent checks, moderation, buttons and owner commands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationModel, ReviewModel, ReviewRequestModel, TenantModel, type Tenant } from '../../../bot/db/models/index.ts';
import { handleOwnerApprovalReply, nextFreeNumber } from '../../../bot/flows/draft-approvals.ts';
import { ACTIVE_CHECK_INTERVAL_MS, INACTIVE_CHECK_INTERVAL_MS, isInactive, nextCheckAt } from '../../../bot/flows/reviews/cadence.ts';
import { namesMatch } from '../../../bot/flows/reviews/names.ts';
import { checkReviews, replyModeFor } from '../../../bot/flows/reviews/sync.ts';
import { googleClientResolver } from '../../../bot/google-clients.ts';
import type { FakeLocation } from '../../../integrations/google/fake-server.ts';
import { mongoTokenStore } from '../../../bot/google-token-store.ts';
import type { WhatsAppInboundMessage } from '../../../integrations/whatsapp/webhook.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../../support/harness.ts';
import { connectGoogle, sentTo } from './reviews-support.ts';

const OWNER = '+972547654321';
const DAY = 24 * 3_600_000;

describe('review decisions (pure)', () => {
  it('stars at or above autoReplyMinStars are answered automatically, the rest go to the owner', () => {
    expect(replyModeFor(5, 4)).toBe('auto');
    expect(replyModeFor(4, 4)).toBe('auto');
    expect(replyModeFor(3, 4)).toBe('owner');
    expect(replyModeFor(5, 6)).toBe('owner');
  });

  it('tenants are spread across the hour by a stable offset; quiet ones are checked every six hours', () => {
    const now = new Date('2025-03-02T10:00:00Z');
    const ids = Array.from({ length: 200 }, (_, i) => `66f1c0ffee00000000${String(i).padStart(6, '0')}`);
    const minutes = new Set(ids.map((id) => new Date(nextCheckAt(id, now, false)).getUTCMinutes()));
    expect(minutes.size).toBeGreaterThan(40);
    for (const id of ids.slice(0, 20)) {
      const next = nextCheckAt(id, now, false).getTime();
      expect(next).toBeGreaterThan(now.getTime());
      expect(next - now.getTime()).toBeLessThanOrEqual(ACTIVE_CHECK_INTERVAL_MS);
      // Stable: the same minute every hour.
      expect(nextCheckAt(id, new Date(next), false).getTime() - next).toBe(ACTIVE_CHECK_INTERVAL_MS);
      const quiet = nextCheckAt(id, now, true).getTime();
      expect(nextCheckAt(id, new Date(quiet), true).getTime() - quiet).toBe(INACTIVE_CHECK_INTERVAL_MS);
    }
    expect(isInactive(new Date(now.getTime() - 31 * DAY), now)).toBe(true);
    expect(isInactive(new Date(now.getTime() - 2 * DAY), now)).toBe(false);
    expect(isInactive(null, now)).toBe(true);
  });

  it('reviewer names match review requests despite case, spacing, niqqud, first names and script', () => {
    expect(namesMatch('Dana Levi', 'dana  levi')).toBe(true);
    expect(namesMatch('דָּנָה לֵוִי', 'דנה לוי')).toBe(true);
    expect(namesMatch('Dana', 'Dana Levi')).toBe(true);
    expect(namesMatch('Dana L.', 'Dana Levi')).toBe(true);
    expect(namesMatch('Dana Levi', 'דנה לוי')).toBe(true);
    expect(namesMatch('Yossi Cohen', 'יוסי כהן')).toBe(true);
    expect(namesMatch('Moshe Peretz', 'משה פרץ')).toBe(true);
    expect(namesMatch('Rotem', 'רותם שגיא')).toBe(true);
    // Outside the table, a consonant skeleton still hears the same name.
    expect(namesMatch('Shimon Katz', 'שמעון כץ')).toBe(true);
    expect(namesMatch('Dana Levi', 'Dana Cohen')).toBe(false);
    expect(namesMatch('Dana', 'Noa')).toBe(false);
    expect(namesMatch('Yossi', 'משה')).toBe(false);
    expect(namesMatch('', 'Dana')).toBe(false);
  });

  it('a new draft takes the smallest number free among open approvals', () => {
    expect(nextFreeNumber([])).toBe(1);
    expect(nextFreeNumber([1, 2, 4])).toBe(3);
    expect(nextFreeNumber([2, 3])).toBe(1);
  });
});

describe('the review check against the fake Google', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant());
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
  });
  afterAll(() => h?.stop());

  const check = async () => checkReviews(h.findo.services, (await TenantModel.findById(tenant._id))!);
  const old = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

  it('the first check mirrors every page but answers only recent reviews; the next stops at known ones', async () => {
    for (let i = 0; i < 120; i++) {
      const at = old(60 + i);
      h.google.addReview(location.name, {
        starRating: 'FIVE',
        createTime: at,
        updateTime: at,
        reviewer: { displayName: `Old ${i}`, isAnonymous: false },
      });
    }
    const progress: number[] = [];
    const first = await checkReviews(h.findo.services, tenant, { onProgress: (p) => progress.push(p.pages) });
    expect(first).toMatchObject({ pages: 3, newReviews: 120, autoReplies: 0, drafts: 0 });
    expect(progress).toEqual([1, 2, 3]);
    expect(await ReviewModel.countDocuments({ tenantId: tenant.id })).toBe(120);

    const second = await check();
    expect(second).toMatchObject({ pages: 1, fetched: 0, newReviews: 0 });
    expect(second.nextCheckAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('an edited review is noticed by its update time and changes the mirror, without a second reply', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'FIVE',
      reviewer: { displayName: 'Gil', isAnonymous: false },
      comment: 'טוב',
    });
    expect(await check()).toMatchObject({ newReviews: 1, autoReplies: 1 });
    await eventually(async () => h.google.repliesReceived.filter((r) => r.reviewName === review.name).length === 1, 10_000, 'auto reply');

    h.google.editReview(review.name, { comment: 'טוב מאוד, חזרו לתקן בחינם', starRating: 'FOUR' });
    expect(await check()).toMatchObject({ newReviews: 0, editedReviews: 1, autoReplies: 0 });
    expect(await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId })).toMatchObject({
      stars: 4,
      comment: 'טוב מאוד, חזרו לתקן בחינם',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.google.repliesReceived.filter((r) => r.reviewName === review.name)).toHaveLength(1);
  });

  it('a review from a customer who was asked closes that review request; an ambiguous first name closes none', async () => {
    const request = (phone: string, customerName: string, documentId: string) =>
      ReviewRequestModel.create({
        tenantId: tenant.id,
        provider: 'greeninvoice',
        documentId,
        phone,
        customerName,
        status: 'sent',
        sentAt: new Date(),
      });
    const dana = await request('+972547650101', 'דנה לוי', 'd1');
    const noa1 = await request('+972547650102', 'נועה כהן', 'd2');
    const noa2 = await request('+972547650103', 'נועה מזרחי', 'd3');

    h.google.addReview(location.name, { starRating: 'FIVE', reviewer: { displayName: 'Dana Levi', isAnonymous: false } });
    h.google.addReview(location.name, { starRating: 'FIVE', reviewer: { displayName: 'Noa', isAnonymous: false } });
    expect(await check()).toMatchObject({ newReviews: 2, requestsClosed: 1 });

    const closed = await ReviewRequestModel.findOne({ tenantId: tenant.id, _id: dana._id });
    expect(closed).toMatchObject({ status: 'reviewed' });
    expect(await ReviewModel.exists({ tenantId: tenant.id, _id: closed!.reviewId })).toBeTruthy();
    expect((await ReviewRequestModel.findOne({ tenantId: tenant.id, _id: noa1._id }))?.status).toBe('sent');
    expect((await ReviewRequestModel.findOne({ tenantId: tenant.id, _id: noa2._id }))?.status).toBe('sent');
  });

  it('two checks at once mirror each review once, post one reply and send one draft', async () => {
    const good = h.google.addReview(location.name, { starRating: 'FIVE', reviewer: { displayName: 'Eyal', isAnonymous: false } });
    const bad = h.google.addReview(location.name, {
      starRating: 'ONE',
      reviewer: { displayName: 'Oren', isAnonymous: false },
      comment: 'גרוע',
    });
    await Promise.all([check(), check()]);

    expect(await ReviewModel.countDocuments({ tenantId: tenant.id, googleReviewId: { $in: [good.reviewId, bad.reviewId] } })).toBe(2);
    await eventually(async () => h.google.repliesReceived.some((r) => r.reviewName === good.name), 10_000, 'reply');
    const badDoc = (await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: bad.reviewId }))!;
    expect(await ConversationModel.countDocuments({ tenantId: tenant.id, kind: 'review_approval', subjectId: badDoc.id })).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.google.repliesReceived.filter((r) => r.reviewName === good.name)).toHaveLength(1);
    expect(sentTo(h, OWNER).filter((w) => w.includes('גרוע'))).toHaveLength(1);
  });

  it('an owner command is never posted as a reply, even with a draft pending; a button tap approves', async () => {
    const pending = await ConversationModel.findOne({ tenantId: tenant.id, kind: 'review_approval', status: 'open' });
    expect(pending).toBeTruthy();
    const item = (over: Partial<WhatsAppInboundMessage>): WhatsAppInboundMessage => ({
      kind: 'whatsapp.message',
      eventId: 'wa:msg:x',
      phoneNumberId: BUSINESS_NUMBER_ID,
      messageId: `wamid.test${Math.random()}`,
      from: OWNER,
      timestamp: new Date().toISOString(),
      type: 'text',
      ...over,
    });
    expect(await handleOwnerApprovalReply(h.findo.services, tenant, item({ text: 'עזרה' }))).toBe(false);
    expect(await handleOwnerApprovalReply(h.findo.services, tenant, item({ text: 'אשר', from: '+972501111111' }))).toBe(false);

    const review = (await ReviewModel.findOne({ tenantId: tenant.id, _id: pending!.subjectId }))!;
    // The draft the owner was shown is the one the approval holds.
    const shown = (pending!.snapshot as { context: { draft: string } }).context.draft;
    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      buttonReply: { id: `approval:${pending!.id}:approve`, title: 'אשר ופרסם' },
    });
    await eventually(async () => h.google.repliesReceived.some((r) => r.reviewName === review.name), 10_000, 'posted by the button');
    expect(h.google.repliesReceived.find((r) => r.reviewName === review.name)?.comment).toBe(shown);
  });

  it('a reply Google rejects in moderation is recorded and the owner is told', async () => {
    h.google.setReplyState('REJECTED');
    try {
      const review = h.google.addReview(location.name, { starRating: 'FIVE', reviewer: { displayName: 'Shani', isAnonymous: false } });
      await check();
      await eventually(
        async () =>
          (await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId }))?.reply?.moderationState === 'REJECTED',
        10_000,
        'moderation recorded',
      );
      expect((await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId }))?.reply?.state).toBe('failed');
      await eventually(
        async () => sentTo(h, OWNER).some((w) => w.includes('גוגל לא קיבל את התשובה') && w.includes('Shani')),
        10_000,
        'owner told',
      );
    } finally {
      h.google.setReplyState(null);
    }
  });

  it('two workers whose access token expired refresh it once between them', async () => {
    const store = mongoTokenStore({ tenantId: tenant.id, vault: h.findo.services.vault });
    const tokens = (await store.load())!;
    await store.save({ ...tokens, expiryDate: Date.now() - 1_000 });
    const before = h.google.tokenRequests.refresh_token ?? 0;
    // Two resolvers: two processes' worth of clients, sharing only the database.
    const [a, b] = await Promise.all([
      googleClientResolver(h.findo.services.config, h.findo.services.vault)(tenant),
      googleClientResolver(h.findo.services.config, h.findo.services.vault)(tenant),
    ]);
    await Promise.all([a.listReviews(location.name, { pageSize: 1 }), b.listReviews(location.name, { pageSize: 1 })]);
    expect((h.google.tokenRequests.refresh_token ?? 0) - before).toBe(1);
  });

  it('a tenant without a grant is "not connected", permanently', async () => {
    const other = await TenantModel.create({
      name: 'No Google',
      slug: 'no-google',
      ownerPhones: ['+972501234567'],
      webhookKeyDigests: { voicenter: 'a', greeninvoice: 'b', icount: 'c' },
      google: { locationName: 'accounts/1/locations/2' },
    });
    await expect(checkReviews(h.findo.services, other)).rejects.toMatchObject({ kind: 'permanent', details: { code: 'not_connected' } });
  });
});
