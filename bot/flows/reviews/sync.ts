/**
 * The per-tenant Google review check (flow F3): mirrors a location's new and edited reviews,
 * decides for each new one between an automatic reply (posted by the `post-review-reply` job,
 * bot/flows/reviews/posting.ts) and an owner-approved draft (bot/flows/review-approvals.ts),
 * closes the review request of a customer who wrote one, and notices replies Google rejected.
 */
import { recordActivity } from '../../activity.ts';
import { ConversationModel, isDuplicateKey, ReviewModel, TenantModel, type Review, type Tenant } from '../../db/models/index.ts';
import { alertOwners, textAlert } from '../../outbound/owner-alerts.ts';
import type { Services } from '../../services.ts';
import { t } from '../../texts/index.ts';
import { IntegrationError, isIntegrationError } from '../../../integrations/errors.ts';
import type { GoogleReview } from '../../../integrations/google/client.ts';
import { startReviewApproval } from '../review-approvals.ts';
import { scheduleNextCheck } from './cadence.ts';
import { onGoogleFailure } from './disconnect.ts';
import { closeMatchingRequest } from './names.ts';
import { reviewerLabel } from './replies.ts';

/** What happens to a new review: an automatic reply, or a draft the owner approves. */
export type ReplyMode = 'auto' | 'owner';

/** Stars at or above the tenant's `autoReplyMinStars` are answered automatically (6 = never). */
export function replyModeFor(stars: number, autoReplyMinStars: number): ReplyMode {
  return stars >= autoReplyMinStars ? 'auto' : 'owner';
}

/**
 * On a tenant's first check, only reviews changed this recently get a reply or a draft; older ones
 * are mirrored as history (an owner who connects Google does not want 200 drafts at once).
 */
export const BACKFILL_WINDOW_MS = 14 * 24 * 3_600_000;
/** Progress of a running check, for the CLI's progress line. */
export interface CheckProgress {
  pages: number;
  fetched: number;
  /** The location's total, when Google says. */
  total?: number;
}

export interface CheckOptions {
  onProgress?: (progress: CheckProgress) => void;
  now?: Date;
}

/** What one check did. */
export interface CheckSummary {
  tenantId: string;
  locationName: string;
  pages: number;
  /** Reviews read from Google that were new or changed. */
  fetched: number;
  newReviews: number;
  editedReviews: number;
  autoReplies: number;
  drafts: number;
  requestsClosed: number;
  nextCheckAt: Date;
}

/** Google's page size for reviews (its maximum). */
const PAGE_SIZE = 50;

/**
 * Checks one tenant's Google reviews now. Pages newest change first until a review we already hold
 * unchanged, then applies what it found oldest first, so a check that dies half-way leaves no gap
 * for the next one to skip over. Throws IntegrationError (a revoked grant also disconnects the
 * tenant and tells the owner, once).
 */
export async function checkReviews(services: Services, tenant: Tenant, options: CheckOptions = {}): Promise<CheckSummary> {
  const now = options.now ?? new Date();
  const locationName = tenant.google?.locationName;
  if (!locationName) {
    throw new IntegrationError(
      `no Google location linked for tenant ${tenant.slug} (run: findo google link ${tenant.slug} --location accounts/…/locations/…)`,
      'permanent',
      {
        provider: 'google',
        code: 'no_location',
      },
    );
  }
  const summary: CheckSummary = {
    tenantId: tenant.id,
    locationName,
    pages: 0,
    fetched: 0,
    newReviews: 0,
    editedReviews: 0,
    autoReplies: 0,
    drafts: 0,
    requestsClosed: 0,
    nextCheckAt: now,
  };

  const changed: GoogleReview[] = [];
  try {
    const google = await services.googleFor(tenant);
    const firstSync = !(await ReviewModel.exists({ tenantId: tenant.id }));
    let pageToken: string | undefined;
    let reachedKnown = false;
    do {
      const page = await google.listReviews(locationName, {
        orderBy: 'updateTime desc',
        pageSize: PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      });
      summary.pages += 1;
      const held = new Map(
        (
          await ReviewModel.find(
            { tenantId: tenant.id, googleReviewId: { $in: page.reviews.map((r) => r.reviewId) } },
            { googleReviewId: 1, updateTime: 1 },
          )
        ).map((r) => [r.googleReviewId, r.updateTime?.getTime() ?? 0]),
      );
      for (const review of page.reviews) {
        const heldAt = held.get(review.reviewId);
        if (heldAt !== undefined && Date.parse(review.updateTime) <= heldAt) {
          reachedKnown = true;
          break;
        }
        changed.push(review);
      }
      options.onProgress?.({
        pages: summary.pages,
        fetched: changed.length,
        ...(page.totalReviewCount === undefined ? {} : { total: page.totalReviewCount }),
      });
      pageToken = page.nextPageToken;
    } while (pageToken && !reachedKnown);
    summary.fetched = changed.length;

    let newestCreate = 0;
    for (const review of changed.reverse()) {
      const outcome = await mirror(services, tenant, review, { firstSync, now });
      if (outcome.isNew) {
        summary.newReviews += 1;
        newestCreate = Math.max(newestCreate, Date.parse(review.createTime));
        if (await closeMatchingRequest(tenant, outcome.review)) summary.requestsClosed += 1;
      } else {
        summary.editedReviews += 1;
      }
      if (outcome.acted === 'auto') summary.autoReplies += 1;
      if (outcome.acted === 'owner') summary.drafts += 1;
    }
    if (newestCreate > 0) {
      await TenantModel.updateOne({ _id: tenant._id }, { $max: { 'google.lastNewReviewAt': new Date(newestCreate) } });
    }
    await repairUnfinished(services, tenant, now);
  } catch (error) {
    if (isIntegrationError(error)) await onGoogleFailure(services, tenant, error);
    throw error;
  } finally {
    summary.nextCheckAt = await scheduleNextCheck(tenant, now);
  }
  return summary;
}

/** Stores or updates one Google review, and starts its reply when it needs one. */
async function mirror(
  services: Services,
  tenant: Tenant,
  review: GoogleReview,
  context: { firstSync: boolean; now: Date },
): Promise<{ review: Review; isNew: boolean; acted: ReplyMode | null }> {
  const fields = {
    name: review.name,
    reviewerName: review.reviewerName ?? undefined,
    stars: review.stars,
    comment: review.comment ?? undefined,
    createTime: new Date(review.createTime),
    updateTime: new Date(review.updateTime),
  };
  // A review already answered on Google (by the owner, or before Findo) needs nothing from us.
  const external = review.reply
    ? {
        state: 'posted' as const,
        text: review.reply.comment,
        auto: false,
        ...(review.reply.state ? { moderationState: review.reply.state } : {}),
      }
    : { state: 'none' as const };
  let stored: Review;
  let isNew = true;
  try {
    stored = await ReviewModel.create({ tenantId: tenant.id, googleReviewId: review.reviewId, ...fields, reply: external });
    await recordActivity(
      tenant.id,
      'review.received',
      `${review.stars}★ review from ${review.reviewerName ?? 'an anonymous reviewer'}`,
      stored.id,
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    isNew = false;
    const updated = await ReviewModel.findOneAndUpdate(
      { tenantId: tenant.id, googleReviewId: review.reviewId },
      { $set: fields },
      { returnDocument: 'after' },
    );
    stored = updated!;
    await noticeModeration(services, tenant, stored, review);
  }

  const recent = context.now.getTime() - Date.parse(review.updateTime) < BACKFILL_WINDOW_MS;
  const wanted = !review.reply && stored.reply?.state === 'none' && (!context.firstSync || recent);
  if (!wanted) return { review: stored, isNew, acted: null };
  const mode = replyModeFor(review.stars, tenant.settings?.autoReplyMinStars ?? 4);
  await startReply(services, tenant, stored, mode);
  return { review: stored, isNew, acted: mode };
}

/** Starts the reply of a review: an automatic one through the post job, or a draft for the owner. */
async function startReply(services: Services, tenant: Tenant, review: Review, mode: ReplyMode): Promise<void> {
  switch (mode) {
    case 'auto':
      await ReviewModel.updateOne(
        { tenantId: tenant.id, _id: review._id, 'reply.state': 'none' },
        { $set: { 'reply.state': 'posting', 'reply.auto': true } },
      );
      await services.enqueue('post-review-reply', { tenantId: tenant.id, reviewRef: review.id });
      return;
    case 'owner':
      await ReviewModel.updateOne(
        { tenantId: tenant.id, _id: review._id, 'reply.state': 'none' },
        { $set: { 'reply.state': 'awaiting_owner', 'reply.auto': false } },
      );
      await startReviewApproval(services, tenant, review.id);
      return;
  }
}

/**
 * A crash between marking a review and starting its reply leaves it marked: pick those up again.
 * Both steps are idempotent (unique post job and state check; one approval per review).
 */
async function repairUnfinished(services: Services, tenant: Tenant, now: Date): Promise<void> {
  const stale = new Date(now.getTime() - 5 * 60_000);
  const stuck = await ReviewModel.find({
    tenantId: tenant.id,
    'reply.state': { $in: ['posting', 'awaiting_owner'] },
    updatedAt: { $lt: stale },
  }).limit(50);
  for (const review of stuck) {
    if (review.reply?.state === 'posting') {
      await services.enqueue('post-review-reply', { tenantId: tenant.id, reviewRef: review.id });
    } else if (!(await ConversationModel.exists({ tenantId: tenant.id, kind: 'review_approval', subjectId: review.id }))) {
      await startReviewApproval(services, tenant, review.id);
    }
  }
}

/** Google moderated a reply we posted as REJECTED after the fact: record it and tell the owner once. */
async function noticeModeration(services: Services, tenant: Tenant, stored: Review, review: GoogleReview): Promise<void> {
  if (review.reply?.state !== 'REJECTED' || stored.reply?.moderationState === 'REJECTED' || stored.reply?.state !== 'posted') return;
  await ReviewModel.updateOne(
    { tenantId: tenant.id, _id: stored._id },
    { $set: { 'reply.moderationState': 'REJECTED', 'reply.state': 'failed' } },
  );
  await alertOwners(
    services,
    tenant,
    textAlert(`review-rejected:${stored.id}`, t(tenant.language, 'owner.replyRejected', { reviewer: reviewerLabel(tenant, stored) })),
    { audience: 'all' },
  );
}
