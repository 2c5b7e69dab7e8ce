/**
 * Flow F4's weekly Google post end to end: the real service (HTTP, Agenda workers, database)
 * drafts a post on the tenant's day or when the owner writes `פוסט`, sends it over the fake
 * WhatsApp, and publishes what the owner answers on the fake Google through the real client:
 * the draft, the owner's own text, or nothing. Google's moderation is read later and a rejection
 * reaches the owner; quota and 5xx errors (even one after Google stored the post) post once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationModel, PostModel, ReviewModel, TenantModel, type Post, type Tenant } from '../../bot/db/models/index.ts';
import { stripIsolates } from '../../bot/texts/bidi.ts';
import { approvalReminderOptions } from '../../bot/flows/draft-approvals.ts';
import { JOBS, postOptions, reviewCheckOptions } from '../../jobs/catalog.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import { WEEKDAYS } from '../../lib/clock.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { checkDueNow, connectGoogle, sentTo } from '../bot/flows/reviews-support.ts';

const OWNER = '+972547654321';

describe('weekly Google posts, end to end', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;

  beforeAll(async () => {
    postOptions.dispatchEvery = 300;
    reviewCheckOptions.dispatchEvery = 300;
    postOptions.checkAfterMs = 200;
    postOptions.checkEveryMs = 200;
    JOBS['publish-post'].retry = { delayMs: 200, maxDelayMs: 1_000, maxRetries: 5 };
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant());
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
    // The weekly slot is the last test's business.
    await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'settings.postDay': 'off' } });
  });
  afterAll(() => h?.stop());

  const ownerSays = (text: string) =>
    h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: OWNER, text });
  const postsOnGoogle = () => h.google.localPosts.posts(location.name);
  const draftsSent = () => sentTo(h, OWNER).filter((w) => w.includes('טיוטה לפוסט'));

  /** Asks for a draft with `פוסט` and waits for it to reach the owner. */
  async function askForDraft(): Promise<Post> {
    const before = draftsSent().length;
    const { messageId } = await ownerSays('פוסט');
    await eventually(async () => draftsSent().length === before + 1, 20_000, 'the draft sent to the owner');
    const post = (await PostModel.findOne({ tenantId: tenant.id, key: `owner:${messageId}` }))!;
    expect(post.state).toBe('awaiting_owner');
    expect(draftsSent().at(-1)).toContain(post.draft);
    return post;
  }
  const stateOf = (post: Post, state: string) =>
    eventually(
      async () => {
        const current = await PostModel.findOne({ tenantId: tenant.id, _id: post._id });
        return current?.state === state && current;
      },
      20_000,
      `post ${state}`,
    );

  it('a draft answered "אשר" puts exactly the draft on Google, which then goes live', async () => {
    const post = await askForDraft();
    // The built-in template (no API key): the business's name, and no phone number.
    expect(post.draft).toContain('Dani Plumbing');
    expect(post.draft).not.toMatch(/\d{7,}/);
    await ownerSays('אשר');

    const live = await stateOf(post, 'live');
    expect(postsOnGoogle()).toEqual([
      expect.objectContaining({
        name: live.googleName,
        summary: post.draft,
        topicType: 'STANDARD',
        languageCode: 'he',
        callToAction: { actionType: 'LEARN_MORE', url: 'https://g.page/r/dani-plumbing/review' },
      }),
    ]);
    expect(postsOnGoogle()[0]).not.toHaveProperty('media');
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('הפוסט נשלח לגוגל')), 20_000, 'the owner told');
  }, 60_000);

  it("the owner's own text is posted instead of the draft", async () => {
    const post = await askForDraft();
    const own = 'מבצע חורף: בדיקת דוד שמש לכל לקוח שמזמין השבוע. שבוע נעים!';
    await ownerSays(own);
    await stateOf(post, 'live');
    expect(postsOnGoogle().at(-1)).toMatchObject({ summary: own });
    expect(postsOnGoogle()).toHaveLength(2);
  }, 60_000);

  it('"דלג" posts nothing', async () => {
    const post = await askForDraft();
    await ownerSays('דלג');
    await stateOf(post, 'skipped');
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('דילגנו על הפוסט')), 20_000, 'the owner told');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(postsOnGoogle()).toHaveLength(2);
  }, 60_000);

  it('a post Google rejects reaches the owner', async () => {
    h.google.localPosts.rejectNext();
    const post = await askForDraft();
    await ownerSays('1');
    await stateOf(post, 'rejected');
    await eventually(async () => sentTo(h, OWNER).filter((w) => w.includes('גוגל דחה את הפוסט')).length === 1, 20_000, 'the owner told');
  }, 60_000);

  it('Google 429, then a 503 after it stored the post: posted once', async () => {
    const post = await askForDraft();
    h.google.failNext({ method: 'POST', path: '/localPosts' }, { status: 429 });
    h.google.localPosts.failAfterCreate(503);
    const before = postsOnGoogle().length;
    await ownerSays('אשר');
    const live = await stateOf(post, 'live');
    expect(postsOnGoogle()).toHaveLength(before + 1);
    expect(postsOnGoogle().at(-1)).toMatchObject({ name: live.googleName, summary: post.draft });
    const creates = h.google.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/localPosts'));
    expect(creates.map((r) => r.status).slice(-2)).toEqual([429, 503]);
  }, 60_000);

  it('an unanswered post draft is reminded once', async () => {
    approvalReminderOptions.delayMs = 300;
    try {
      const post = await askForDraft();
      const conversation = (await ConversationModel.findOne({ tenantId: tenant.id, kind: 'post_approval', subjectId: post.id }))!;
      const reminders = () =>
        sentTo(h, OWNER)
          .map(stripIsolates)
          .filter((w) => w.includes(`הפוסט לגוגל (טיוטה ${conversation.number})`) && w.includes('תזכורת'));
      await eventually(async () => reminders().length === 1, 20_000, 'the reminder');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(reminders()).toHaveLength(1);
      await ownerSays('דלג');
      await stateOf(post, 'skipped');
    } finally {
      approvalReminderOptions.delayMs = 24 * 3_600_000;
    }
  }, 60_000);

  it('a review draft and a post draft pending together are told apart by their numbers', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'TWO',
      reviewer: { displayName: 'Gil Peretz', isAnonymous: false },
      comment: 'הגיעו באיחור',
    });
    await checkDueNow(tenant);
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('הגיעו באיחור')), 20_000, 'the review draft');
    const post = await askForDraft();
    const [reviewDraft, postDraft] = await Promise.all([
      ConversationModel.findOne({ tenantId: tenant.id, kind: 'review_approval', status: 'open' }),
      ConversationModel.findOne({ tenantId: tenant.id, kind: 'post_approval', subjectId: post.id }),
    ]);
    expect(new Set([reviewDraft!.number, postDraft!.number]).size).toBe(2);

    await ownerSays('אשר');
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('לאיזו מהן')), 20_000, 'which draft?');
    const before = postsOnGoogle().length;
    await ownerSays(`אשר ${postDraft!.number}`);
    await stateOf(post, 'live');
    expect(postsOnGoogle()).toHaveLength(before + 1);
    // The review's draft still waits, and is now the only one: a bare "דלג" is its.
    await ownerSays('דלג');
    await eventually(
      async () => (await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId }))?.reply?.state === 'skipped',
      20_000,
      'the review skipped',
    );
    expect(h.google.repliesReceived.filter((r) => r.reviewName === review.name)).toHaveLength(0);
  }, 60_000);

  it('the weekly draft comes on its day at 10:00 local time, once', async () => {
    // A zone where it is now past 10:00 and before midnight, so today's slot is due.
    const utcHour = new Date().getUTCHours();
    const offset = ((((11 - utcHour) % 24) + 24 + 12) % 24) - 12; // in -12..11: local hour is 11
    const timezone = offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const localDay = new Date(Date.now() + offset * 3_600_000).getUTCDay();
    const draftsBefore = draftsSent().length;
    await TenantModel.collection.updateOne(
      { _id: tenant._id },
      { $set: { timezone, 'settings.postDay': WEEKDAYS[localDay], createdAt: new Date(Date.now() - 7 * 86_400_000) } },
    );
    await eventually(async () => await PostModel.findOne({ tenantId: tenant.id, origin: 'weekly' }), 20_000, 'the weekly draft');
    const slot = new Date(Date.now() + offset * 3_600_000);
    slot.setUTCHours(10, 0, 0, 0);
    const expectedKey = `weekly:${new Date(slot.getTime() - offset * 3_600_000).toISOString()}`;
    // Dispatches keep coming every 300 ms: still one draft for the slot.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const weekly = await PostModel.find({ tenantId: tenant.id, origin: 'weekly' });
    expect(weekly.map((p) => p.key)).toEqual([expectedKey]);
    expect(draftsSent()).toHaveLength(draftsBefore + 1);
    expect(draftsSent().at(-1)).toContain(weekly[0]!.draft);
  }, 60_000);
});
