/** What a review reply says, and how a reviewer is named to the owner: shared by the check, posting and approvals. */
import type { Review, Tenant } from '../../db/models/index.ts';
import type { Services } from '../../services.ts';
import { t, type Language } from '../../texts/index.ts';

/** An AI (or built-in) reply to a review, in the reviewer's language. */
export function writeReplyFor(services: Services, tenant: Tenant, review: Review) {
  return services.text.writeReviewReply({
    reviewerName: review.reviewerName ?? '',
    // Google always rates; a review mirrored without stars is answered in a neutral tone.
    stars: review.stars ?? 3,
    comment: review.comment ?? '',
    businessName: tenant.name,
    defaultLanguage: tenant.language as Language,
  });
}

/** The reviewer's name as shown to the owner. */
export function reviewerLabel(tenant: Tenant, review: Pick<Review, 'reviewerName'>): string {
  return review.reviewerName?.trim() || t(tenant.language as Language, 'owner.unknownValue');
}

