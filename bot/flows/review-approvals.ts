/**
 * Starting the owner's approval of a review reply draft (flow F3): the draft is written, then the
 * shared draft approval (bot/flows/draft-approvals.ts) numbers it and sends it to the owners.
 */
import { recordActivity } from '../activity.ts';
import { ReviewModel, type Conversation, type Tenant } from '../db/models/index.ts';
import type { Services } from '../services.ts';
import { startDraftApproval } from './draft-approvals.ts';
import { reviewerLabel, writeReplyFor } from './reviews/replies.ts';

/** Starts the approval of a review's reply (idempotent: one approval per review). */
export async function startReviewApproval(services: Services, tenant: Tenant, reviewId: string): Promise<Conversation | null> {
  const review = await ReviewModel.findOne({ tenantId: tenant.id, _id: reviewId });
  if (!review || !tenant.ownerPhones[0]) return null;

  // Written before any lock is taken: the AI call may take seconds.
  let draft = review.reply?.draft;
  if (!draft) {
    const written = await writeReplyFor(services, tenant, review);
    draft = written.text;
    await ReviewModel.updateOne({ tenantId: tenant.id, _id: review._id }, { $set: { 'reply.draft': draft, language: written.language } });
  }

  return startDraftApproval(services, tenant, { subject: 'review', subjectId: review.id, text: draft }, async (number) => {
    await ReviewModel.updateOne(
      { tenantId: tenant.id, _id: review._id },
      { $set: { 'reply.state': 'awaiting_owner', 'reply.draft': draft } },
    );
    await recordActivity(
      tenant.id,
      'review.draft',
      `draft ${number} for ${review.stars}★ review from ${reviewerLabel(tenant, review)} sent to the owner`,
      review.id,
    );
  });
}
