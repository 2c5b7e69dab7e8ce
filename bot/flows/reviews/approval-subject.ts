/** The review reply as a draft the owner approves (bot/flows/draft-approvals.ts, flow F3). */
import { recordActivity } from '../../activity.ts';
import { ReviewModel, type Tenant } from '../../db/models/index.ts';
import { formatNational } from '../../../lib/phone.ts';
import { t } from '../../texts/index.ts';
import type { DraftSubjectHandlers } from '../draft-subject.ts';
import { reviewerLabel } from './replies.ts';

/** The review an effect is about, and how the owner knows its reviewer. */
async function reviewOf(tenant: Tenant, reviewId: string) {
  const review = await ReviewModel.findOne({ tenantId: tenant.id, _id: reviewId });
  return { review, reviewer: review ? reviewerLabel(tenant, review) : t(tenant.language, 'owner.unknownValue') };
}

export const reviewDraftSubject: DraftSubjectHandlers = {
  kind: 'review_approval',
  async draftMessage(tenant, reviewId, number, draft) {
    const { review, reviewer } = await reviewOf(tenant, reviewId);
    return t(tenant.language, 'owner.reviewDraft', { number, reviewer, stars: review?.stars ?? 0, comment: review?.comment ?? '', draft });
  },
  async reminderMessage(tenant, reviewId, number) {
    const { reviewer } = await reviewOf(tenant, reviewId);
    return t(tenant.language, 'owner.draftReminder', { reviewer, number });
  },
  async publish(services, tenant, reviewId, text) {
    await ReviewModel.updateOne(
      { tenantId: tenant.id, _id: reviewId, 'reply.state': { $in: ['none', 'awaiting_owner'] } },
      { $set: { 'reply.state': 'posting', 'reply.text': text, 'reply.auto': false } },
    );
    await services.enqueue('post-review-reply', { tenantId: tenant.id, reviewRef: reviewId });
  },
  async concluded(tenant, reviewId, outcome) {
    const { reviewer } = await reviewOf(tenant, reviewId);
    switch (outcome) {
      case 'posted':
        return t(tenant.language, 'owner.reviewPosted', { reviewer });
      case 'skipped':
        await ReviewModel.updateOne(
          { tenantId: tenant.id, _id: reviewId, 'reply.state': 'awaiting_owner' },
          { $set: { 'reply.state': 'skipped' } },
        );
        await recordActivity(tenant.id, 'review.replied', `owner skipped the reply to ${reviewer}`, reviewId);
        return t(tenant.language, 'owner.reviewSkipped', { reviewer });
      case 'failed':
        return t(tenant.language, 'owner.replyRejected', { reviewer });
    }
  },
  async recordDecider(tenant, reviewId, owner) {
    await ReviewModel.updateOne({ tenantId: tenant.id, _id: reviewId }, { $set: { 'reply.decidedBy': owner } });
  },
  async decidedMessage(tenant, reviewId, number, owner) {
    const review = await ReviewModel.findOne({ tenantId: tenant.id, _id: reviewId });
    const decidedBy = review?.reply?.decidedBy;
    if (!review || !decidedBy || decidedBy === owner) return null;
    const decision = review.reply?.state === 'skipped' ? 'owner.draftDecidedSkipped' : 'owner.draftDecidedApproved';
    return t(tenant.language, decision, { reviewer: reviewerLabel(tenant, review), number, owner: formatNational(decidedBy) });
  },
};
