/**
 * A business with two owners, end to end (the real service, its workers, the fake Google and
 * WhatsApp over HTTP): every owner alert reaches both, and when both answer the same review draft
 * at once the first answer decides, exactly one reply is posted, and both owners learn the outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationModel, ReviewModel, type Tenant } from '../../bot/db/models/index.ts';
import { formatNational } from '../../lib/phone.ts';
import { reviewCheckOptions } from '../../jobs/catalog.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { checkDueNow, connectGoogle, sentTo } from '../bot/flows/reviews-support.ts';

const FIRST_OWNER = '+972547654321';
const SECOND_OWNER = '+972529876543';

describe('two owners', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;

  beforeAll(async () => {
    reviewCheckOptions.dispatchEvery = 300;
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant({ ownerPhones: [FIRST_OWNER, SECOND_OWNER] }));
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
  });
  afterAll(() => h?.stop());

  const ownerSays = (owner: string, text: string) =>
    h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: owner, text });
  const countSent = (owner: string, needle: string) => sentTo(h, owner).filter((w) => w.includes(needle)).length;

  it('both get the draft; both answer it at once; the first answer is posted once and both learn the outcome', async () => {
    const review = h.google.addReview(location.name, {
      starRating: 'TWO',
      reviewer: { displayName: 'Gil Peretz', isAnonymous: false },
      comment: 'הטכנאי איחר',
    });
    await checkDueNow(tenant);
    await eventually(
      async () => countSent(FIRST_OWNER, 'הטכנאי איחר') === 1 && countSent(SECOND_OWNER, 'הטכנאי איחר') === 1,
      20_000,
      'the draft sent to both owners',
    );

    const own = 'גיל, מצטערים על העיכוב. נדאג שזה לא יחזור.';
    await Promise.all([ownerSays(FIRST_OWNER, 'אשר'), ownerSays(SECOND_OWNER, own)]);

    await eventually(
      async () => countSent(FIRST_OWNER, 'פורסמה בגוגל') === 1 && countSent(SECOND_OWNER, 'פורסמה בגוגל') === 1,
      20_000,
      'both owners told it was posted',
    );
    const mirrored = (await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId }))!;
    const winner = mirrored.reply!.decidedBy!;
    const loser = winner === FIRST_OWNER ? SECOND_OWNER : FIRST_OWNER;
    console.log(`two owners answered at once: ${winner === FIRST_OWNER ? 'the approval' : 'the own text'} came first`);
    await eventually(async () => countSent(loser, 'כבר ענו') === 1, 20_000, 'the later owner told what was decided');

    const replies = h.google.repliesReceived.filter((r) => r.reviewName === review.name);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.comment).toBe(winner === FIRST_OWNER ? mirrored.reply!.draft : own);
    expect(sentTo(h, loser).find((w) => w.includes('כבר ענו'))).toContain(formatNational(winner));
    // Nothing more comes: no second post, no note to the owner whose answer decided.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(h.google.repliesReceived.filter((r) => r.reviewName === review.name)).toHaveLength(1);
    expect(countSent(winner, 'כבר ענו')).toBe(0);
    expect(countSent(loser, 'כבר ענו')).toBe(1);
    expect(await ConversationModel.countDocuments({ tenantId: tenant.id, kind: 'review_approval', subjectId: mirrored.id })).toBe(1);
  }, 60_000);

  it('an answer sent while the draft waited, but handled after the other owner’s decided, is told the decision', async () => {
    // On a loaded machine the later owner's message can be handled only once the first answer is
    // done: no draft is waiting any more, yet it answered one.
    const review = h.google.addReview(location.name, {
      starRating: 'ONE',
      reviewer: { displayName: 'Noa Levi', isAnonymous: false },
      comment: 'לא חזרו אליי',
    });
    await checkDueNow(tenant);
    await eventually(
      async () => countSent(FIRST_OWNER, 'לא חזרו אליי') === 1 && countSent(SECOND_OWNER, 'לא חזרו אליי') === 1,
      20_000,
      'the draft sent to both owners',
    );
    const toldBefore = countSent(SECOND_OWNER, 'כבר ענו');
    const secondWroteAt = new Date();
    await ownerSays(FIRST_OWNER, 'דלג');
    await eventually(
      async () => (await ReviewModel.findOne({ tenantId: tenant.id, googleReviewId: review.reviewId }))?.reply?.state === 'skipped',
      20_000,
      'the first owner’s skip decided',
    );
    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: SECOND_OWNER,
      text: 'נועה, סליחה, נחזור אלייך היום',
      timestamp: secondWroteAt,
    });
    await eventually(async () => countSent(SECOND_OWNER, 'כבר ענו') === toldBefore + 1, 20_000, 'the later owner told what was decided');
    const told = sentTo(h, SECOND_OWNER)
      .filter((w) => w.includes('כבר ענו'))
      .at(-1);
    expect(told).toContain(formatNational(FIRST_OWNER));
    expect(told).toContain('הוחלט לדלג');
    expect(h.google.repliesReceived.filter((r) => r.reviewName === review.name)).toHaveLength(0);
  }, 60_000);

  it('a Google disconnection is told to both owners', async () => {
    h.google.revokeGrant();
    await checkDueNow(tenant);
    const notice = 'החיבור לפרופיל העסק בגוגל התנתק';
    await eventually(async () => countSent(FIRST_OWNER, notice) === 1 && countSent(SECOND_OWNER, notice) === 1, 20_000, 'both owners told');
  }, 30_000);
});
