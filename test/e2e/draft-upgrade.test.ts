/**
 * A review approval stored by version 1 of the approval machine (review replies only: `reviewId`
 * in its context) survives the move to the draft-approval machine: the owner's answer upgrades it
 * in place and posts the draft it held, over the real service, database and fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationModel, ReviewModel, type Tenant } from '../../bot/db/models/index.ts';
import { VERSION } from '../../machines/draft-approval.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { connectGoogle, sentTo } from '../bot/flows/reviews-support.ts';

const OWNER = '+972547654321';

describe('a version-1 review approval after the upgrade', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant());
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
  });
  afterAll(() => h?.stop());

  it('is answered with "אשר" and posts the draft it held', async () => {
    const onGoogle = h.google.addReview(location.name, {
      starRating: 'TWO',
      reviewer: { displayName: 'Avi Ron', isAnonymous: false },
      comment: 'איחרו',
    });
    const draft = 'אבי, מצטערים על האיחור. נשמח לדבר איתך.';
    const review = await ReviewModel.create({
      tenantId: tenant.id,
      googleReviewId: onGoogle.reviewId,
      name: onGoogle.name,
      reviewerName: 'Avi Ron',
      stars: 2,
      comment: 'איחרו',
      reply: { state: 'awaiting_owner', draft },
    });
    // As version 1 stored it.
    const stored = await ConversationModel.create({
      tenantId: tenant.id,
      kind: 'review_approval',
      phone: OWNER,
      subjectId: review.id,
      number: 1,
      machineVersion: 1,
      state: 'awaitingOwner',
      seq: 1,
      snapshot: {
        status: 'active',
        value: 'awaitingOwner',
        historyValue: {},
        children: {},
        context: { reviewId: review.id, draft, reminded: false },
      },
    });

    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: OWNER, text: 'אשר' });
    await eventually(async () => h.google.repliesReceived.some((r) => r.reviewName === onGoogle.name), 20_000, 'the draft on Google');
    expect(h.google.repliesReceived.filter((r) => r.reviewName === onGoogle.name).map((r) => r.comment)).toEqual([draft]);
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('פורסמה בגוגל')), 20_000, 'the owner told');
    const upgraded = (await ConversationModel.findOne({ tenantId: tenant.id, _id: stored._id }))!;
    expect(upgraded).toMatchObject({ machineVersion: VERSION, status: 'closed', state: 'posted' });
    expect((upgraded.snapshot as { context: unknown }).context).toMatchObject({ subject: 'review', subjectId: review.id, text: draft });
  }, 60_000);
});
