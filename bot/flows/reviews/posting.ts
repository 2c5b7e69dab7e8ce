/**
 * Posting a review's reply on Google, in the `post-review-reply` job: one per review, under the
 * review's lock, and only while its reply state is `posting`, so nothing is ever posted twice.
 */
import { recordActivity } from '../../activity.ts';
import { ReviewModel, TenantModel, type Review, type Tenant } from '../../db/models/index.ts';
import { withLock } from '../../locks.ts';
import { alertOwners, textAlert } from '../../outbound/owner-alerts.ts';
import type { Services } from '../../services.ts';
import { t } from '../../texts/index.ts';
import { isIntegrationError } from '../../../integrations/errors.ts';
import { applyApprovalEvent } from '../draft-approvals.ts';
import { isDisconnect, onGoogleFailure } from './disconnect.ts';
import { reviewerLabel, writeReplyFor } from './replies.ts';
/** What a post attempt did. */
export type PostOutcome = 'posted' | 'rejected' | 'failed' | 'nothing_to_do';

/**
 * Posts the reply of one review: only while its reply state is `posting`; an automatic reply is
 * written here first (and kept, so a retry posts the same words). Transient and rate-limited
 * failures throw for the job to retry; permanent ones are recorded and end the attempt.
 */
export async function postReviewReply(services: Services, tenantId: string, reviewRef: string): Promise<PostOutcome> {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant) return 'nothing_to_do';
  return withLock(tenantId, `review-reply:${reviewRef}`, async () => {
    const review = await ReviewModel.findOne({ tenantId, _id: reviewRef });
    if (!review) return 'nothing_to_do';
    if (review.reply?.state !== 'posting') {
      // Posted before a crash kept the approval from hearing it: tell it now (keyed, so once).
      if (review.reply?.state === 'posted' && !review.reply.auto) {
        await applyApprovalEvent(
          services,
          tenant,
          { subject: 'review', subjectId: review.id },
          { type: 'PUBLISHED' },
          `posted:${review.id}`,
        );
      }
      return 'nothing_to_do';
    }

    let text = review.reply.text;
    if (!text) {
      if (!review.reply.auto) return 'nothing_to_do';
      const written = await writeReplyFor(services, tenant, review);
      text = written.text;
      await ReviewModel.updateOne({ tenantId, _id: review._id }, { $set: { 'reply.text': text, language: written.language } });
    }

    let moderation: string | undefined;
    try {
      const google = await services.googleFor(tenant);
      moderation = (await google.updateReply(review.name, text)).state;
    } catch (error) {
      if (!isIntegrationError(error) || error.isRetryable) throw error;
      await ReviewModel.updateOne({ tenantId, _id: review._id }, { $set: { 'reply.state': 'failed' } });
      await recordActivity(
        tenant.id,
        'review.replied',
        `reply to ${review.reviewerName ?? 'a review'} not posted: ${error.message}`,
        review.id,
      );
      await onGoogleFailure(services, tenant, error);
      await afterPost(services, tenant, review, text, 'failed', isDisconnect(error));
      return 'failed';
    }

    const rejected = moderation === 'REJECTED';
    await ReviewModel.updateOne(
      { tenantId, _id: review._id },
      {
        $set: {
          'reply.state': rejected ? 'failed' : 'posted',
          'reply.text': text,
          'reply.postedAt': new Date(),
          ...(moderation ? { 'reply.moderationState': moderation } : {}),
        },
      },
    );
    await recordActivity(
      tenant.id,
      'review.replied',
      `${review.reply.auto ? 'automatic ' : ''}reply to ${review.reviewerName ?? 'a review'} ${rejected ? 'rejected by Google' : 'posted'}`,
      review.id,
    );
    await afterPost(services, tenant, review, text, rejected ? 'rejected' : 'posted', false);
    return rejected ? 'rejected' : 'posted';
  });
}

/** Tells the approval (or, for an automatic reply, the owner) how posting went. */
async function afterPost(
  services: Services,
  tenant: Tenant,
  review: Review,
  text: string,
  outcome: 'posted' | 'rejected' | 'failed',
  disconnected: boolean,
) {
  const language = tenant.language;
  if (!review.reply?.auto) {
    const event = outcome === 'posted' ? { type: 'PUBLISHED' as const } : { type: 'PUBLISH_FAILED' as const, permanent: true };
    await applyApprovalEvent(services, tenant, { subject: 'review', subjectId: review.id }, event, `posted:${review.id}`);
    return;
  }
  if (disconnected) return; // the owner hears about the disconnection instead
  const reviewer = reviewerLabel(tenant, review);
  if (outcome === 'posted') {
    await alertOwners(
      services,
      tenant,
      textAlert(
        `review-auto-posted:${review.id}`,
        t(language, 'owner.reviewAutoPosted', { reviewer, stars: review.stars ?? 0, reply: text }),
      ),
      { audience: 'all' },
    );
  } else {
    await alertOwners(services, tenant, textAlert(`review-rejected:${review.id}`, t(language, 'owner.replyRejected', { reviewer })), {
      audience: 'all',
    });
  }
}
