/**
 * Google's JSON shapes for the v4 review endpoints (mybusiness.googleapis.com), which googleapis
 * does not wrap. Field names as Google sends them; see
 * https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews
 */

/** Google caps a review reply at 4096 bytes of UTF-8. */
export const REVIEW_REPLY_MAX_BYTES = 4096;

/** `starRating` as Google encodes it. */
export type StarRatingJson = 'STAR_RATING_UNSPECIFIED' | 'ONE' | 'TWO' | 'THREE' | 'FOUR' | 'FIVE';

/** Google's moderation verdict on a reply; PENDING means not yet public. */
export type ReviewReplyStateJson = 'REVIEW_REPLY_STATE_UNSPECIFIED' | 'PENDING' | 'REJECTED' | 'APPROVED';

/** `ReviewReply`: the body and answer of `PUT …/reviews/{id}/reply`. */
export interface ReviewReplyJson {
  comment: string;
  updateTime?: string;
  reviewReplyState?: ReviewReplyStateJson;
  policyViolation?: string;
}

/** `Review`. `comment` is absent on rating-only reviews; `reviewReply` until someone replies. */
export interface ReviewJson {
  name: string;
  reviewId: string;
  reviewer: { displayName?: string; profilePhotoUrl?: string; isAnonymous?: boolean };
  starRating: StarRatingJson;
  comment?: string;
  createTime: string;
  updateTime: string;
  reviewReply?: ReviewReplyJson;
}

/** The answer of `GET /v4/{location}/reviews`; `nextPageToken` is omitted on the last page. */
export interface ListReviewsJson {
  reviews?: ReviewJson[];
  averageRating?: number;
  totalReviewCount?: number;
  nextPageToken?: string;
}
