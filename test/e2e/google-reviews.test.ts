/**
 * Flow F3 end to end: the real service (HTTP, Agenda workers polling every 100 ms) checks the fake
 * Google on its own schedule, answers high ratings automatically, sends the owner drafts for low
 * ones over the fake WhatsApp, and posts what the owner answers: approve, skip or their own text,
 * telling several pending drafts apart by reply context or number. Quota errors are retried, a
 * restart loses nothing, a revoked grant disconnects the tenant, and nothing is posted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActivityModel,
  ConversationModel,
  MessageModel,
  ReviewModel,
  TenantModel,
  type Conversation,
  type Message,
  type Review,
  type Tenant,
} from '../../bot/db/models/index.ts';
import { approvalReminderOptions } from '../../bot/flows/draft-approvals.ts';
import { reviewCheckOptions } from '../../jobs/catalog.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import type { ReviewJson } from '../../integrations/google/wire.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { checkDueNow, connectGoogle, sentTo } from '../bot/flows/reviews-support.ts';

const OWNER = '+972547654321';

describe('Google reviews, end to end', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;

  beforeAll(async () => {
    // The dispatcher looks for due tenants every 300 ms instead of every minute.
    reviewCheckOptions.dispatchEvery = 300;
    reviewCheckOptions.retry = { delayMs: 500, maxDelayMs: 2_000, maxRetries: 5 };
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant());
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
  });
  afterAll(() => h?.stop());

  const ownerSays = (text: string, contextMessageId?: string) =>
    h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      text,
      ...(contextMessageId ? { contextMessageId } : {}),
    });
  const repliesTo = (review: ReviewJson) => h.google.repliesReceived.filter((r) => r.reviewName === review.name);
  const mirrored = (review: ReviewJson) =>
    eventually<Review>(
      async () => await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId }),
      20_000,
      `review ${review.reviewId} mirrored`,
    );
  /** The draft message (its WhatsApp id) sent to the owner for a review. */
  async function draftFor(review: ReviewJson) {
    const stored = await mirrored(review);
    const conversation = await eventually<Conversation>(
      async () => await ConversationModel.findOne({ tenantId: tenant.id, kind: 'review_approval', subjectId: stored.id }),
      20_000,
      'approval',
    );
    const message = await eventually<Message>(
      async () =>
        await MessageModel.findOne({ tenantId: tenant.id, conversationId: conversation.id, status: 'sent' }).sort({ createdAt: 1 }),
      10_000,
      'draft sent',
    );
    const withDraft = (await ReviewModel.findOne({ tenantId: tenant.id, _id: stored._id }))!;
    return { review: withDraft, conversation, waMessageId: message.waMessageId!, text: message.text! };
  }
  const countSent = (needle: string) => sentTo(h, OWNER).filter((w) => w.includes(needle)).length;

  it('a 5★ review is answered on Google automatically, and the owner is told', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'FIVE',
      reviewer: { displayName: 'Dana Levi', isAnonymous: false },
      comment: 'שירות מעולה, ממליצה בחום!',
    });
    await checkDueNow(tenant);

    await eventually(async () => repliesTo(review).length === 1, 20_000, 'the automatic reply on Google');
    expect(repliesTo(review)[0]!.comment).toContain('Dana');
    await eventually(async () => (await mirrored(review)).reply?.state === 'posted', 20_000, 'state posted');
    expect((await mirrored(review)).reply).toMatchObject({ auto: true, state: 'posted' });
    await eventually(async () => countSent('פרסמנו תשובה אוטומטית') === 1, 20_000, 'owner told');
  });

  it('a 2★ review reaches the owner as a draft; "אשר" posts exactly that draft', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'TWO',
      reviewer: { displayName: 'Yossi Cohen', isAnonymous: false },
      comment: 'חיכיתי שעתיים לטכנאי',
    });
    await checkDueNow(tenant);
    const draft = await draftFor(review);
    expect(draft.text).toContain('חיכיתי שעתיים לטכנאי');
    expect(draft.review.reply?.state).toBe('awaiting_owner');
    expect(repliesTo(review)).toHaveLength(0);

    await ownerSays('אשר');
    await eventually(async () => repliesTo(review).length === 1, 20_000, 'the draft on Google');
    expect(repliesTo(review)[0]!.comment).toBe(draft.review.reply!.draft);
    await eventually(async () => countSent('פורסמה בגוגל') === 1, 20_000, 'owner told it was posted');

    // A second "אשר" (and another check) post nothing more.
    await ownerSays('אשר');
    await checkDueNow(tenant);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(repliesTo(review)).toHaveLength(1);
  });

  it('a 1★ review answered with the owner’s own text posts that text', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'ONE',
      reviewer: { displayName: 'רונית', isAnonymous: false },
      comment: 'לא הגיעו בכלל',
    });
    await checkDueNow(tenant);
    await draftFor(review);

    const own = 'רונית, אנחנו מצטערים מאוד. דיברנו עם הצוות ונחזור אלייך היום.';
    await ownerSays(own);
    await eventually(async () => repliesTo(review).length === 1, 20_000, 'own text on Google');
    expect(repliesTo(review)[0]!.comment).toBe(own);
    // Google has it a moment before the mirror records it.
    await eventually(async () => (await mirrored(review)).reply?.state === 'posted', 20_000, 'state posted');
    expect((await mirrored(review)).reply).toMatchObject({ state: 'posted', text: own, auto: false });
  });

  it('two pending drafts: a bare "אשר" asks which; a reply to one draft picks it; "#N דלג" skips the other', async () => {
    const first = h.google.addReview(location.name, {
      starRating: 'TWO',
      reviewer: { displayName: 'Avi Mizrahi', isAnonymous: false },
      comment: 'יקר מדי',
    });
    const second = h.google.addReview(location.name, {
      starRating: 'THREE',
      reviewer: { displayName: 'Tamar Golan', isAnonymous: false },
      comment: 'בסדר, לא יותר',
    });
    await checkDueNow(tenant);
    const a = await draftFor(first);
    const b = await draftFor(second);
    expect(new Set([a.conversation.number, b.conversation.number]).size).toBe(2);

    await ownerSays('אשר');
    await eventually(async () => countSent('יש כמה טיוטות') === 1, 20_000, 'which draft?');
    expect(repliesTo(first).length + repliesTo(second).length).toBe(0);

    await ownerSays('אשר', b.waMessageId);
    await eventually(async () => repliesTo(second).length === 1, 20_000, 'the quoted draft posted');
    expect(repliesTo(second)[0]!.comment).toBe(b.review.reply!.draft);
    expect(repliesTo(first)).toHaveLength(0);

    await ownerSays(`#${a.conversation.number} דלג`);
    await eventually(async () => (await mirrored(first)).reply?.state === 'skipped', 20_000, 'skipped');
    await eventually(async () => countSent('דילגנו על הביקורת') === 1, 20_000, 'owner told it was skipped');
    expect(repliesTo(first)).toHaveLength(0);
  });

  it('a restart between "draft sent" and "owner approves" loses nothing', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'THREE',
      reviewer: { displayName: 'Michal', isAnonymous: false },
      comment: 'היה סביר',
    });
    await checkDueNow(tenant);
    const draft = await draftFor(review);

    await h.restart();
    await ownerSays('1');
    await eventually(async () => repliesTo(review).length === 1, 15_000, 'posted after the restart');
    expect(repliesTo(review)[0]!.comment).toBe(draft.review.reply!.draft);
  });

  it('a draft left unanswered is reminded once', async () => {
    approvalReminderOptions.delayMs = 1_000;
    try {
      const review = h.google.addReview(location.name, {
        starRating: 'TWO',
        reviewer: { displayName: 'Omer', isAnonymous: false },
        comment: 'איטי',
      });
      await checkDueNow(tenant);
      await draftFor(review);
      await eventually(async () => countSent('תזכורת') === 1, 20_000, 'the reminder');
      await new Promise((r) => setTimeout(r, 2_000));
      expect(countSent('תזכורת')).toBe(1);
      await ownerSays('דלג');
      await eventually(async () => (await mirrored(review)).reply?.state === 'skipped', 20_000, 'skipped');
    } finally {
      approvalReminderOptions.delayMs = 24 * 3_600_000;
    }
  });

  it('quota errors (429) on listing and on posting are retried after Google’s wait, and post once', async () => {
    h.google.failNext({ method: 'GET', path: /\/reviews$/ }, { status: 429, retryAfterSeconds: 1 });
    h.google.failNext({ method: 'PUT', path: /\/reply$/ }, { status: 429, retryAfterSeconds: 1 });
    const review = h.google.addReview(location.name, {
      starRating: 'FIVE',
      reviewer: { displayName: 'Noa', isAnonymous: false },
      comment: 'מקצוענים',
    });
    await checkDueNow(tenant);

    await eventually(async () => repliesTo(review).length === 1, 15_000, 'posted after the quota errors');
    const throttled = h.google.requests.filter((r) => r.status === 429);
    expect(throttled.map((r) => r.method).sort()).toEqual(['GET', 'PUT']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(repliesTo(review)).toHaveLength(1);
  });

  it('nothing was ever posted twice', () => {
    const names = h.google.repliesReceived.map((r) => r.reviewName);
    expect(new Set(names).size).toBe(names.length);
  });

  it('a revoked grant disconnects the tenant, tells staff and the owner once, and is not retried', async () => {
    h.google.revokeGrant();
    h.google.addReview(location.name, { starRating: 'FIVE' });
    await checkDueNow(tenant);

    await eventually(async () => (await TenantModel.findById(tenant._id))?.google?.connected === false, 20_000, 'disconnected');
    await eventually(async () => countSent('החיבור לפרופיל העסק בגוגל התנתק') === 1, 20_000, 'owner told');
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'google.revoked' })).toBe(1);

    // Another check (staff, or a job already queued) tells nobody again; the dispatcher skips the tenant.
    await h.findo.services.enqueue('review-check', { tenantId: tenant.id });
    await checkDueNow(tenant);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(countSent('החיבור לפרופיל העסק בגוגל התנתק')).toBe(1);
    const refreshes = h.google.tokenRequests.refresh_token ?? 0;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.google.tokenRequests.refresh_token ?? 0).toBe(refreshes);
  });
});
