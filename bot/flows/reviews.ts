/**
 * Google reviews (flow F3): the per-tenant check that mirrors a location's reviews, decides for
 * each new one between an automatic reply and an owner-approved draft, closes the review request
 * of a customer who wrote one, and posts replies. Posting happens in the `post-review-reply` job,
 * one per review, under a lock, and only while the review's reply state is `posting`, so nothing
 * is ever posted twice.
 */
import { createHash } from 'node:crypto';
import { recordActivity } from '../activity.ts';
import { ConversationModel, isDuplicateKey, ReviewModel, ReviewRequestModel, TenantModel, type Review, type Tenant } from '../db/models/index.ts';
import { withLock } from '../locks.ts';
import { sendMessage } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import { t, type Language } from '../texts/index.ts';
import { IntegrationError, isIntegrationError } from '../../integrations/errors.ts';
import type { GoogleReview } from '../../integrations/google/client.ts';
import { mongoTokenStore } from '../../integrations/google/token-store.ts';
import { applyApprovalEvent, startReviewApproval } from './review-approvals.ts';

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

// ---------------------------------------------------------------------------------------------
// Decisions

/** What happens to a new review: an automatic reply, or a draft the owner approves. */
export type ReplyMode = 'auto' | 'owner';

/** Stars at or above the tenant's `autoReplyMinStars` are answered automatically (6 = never). */
export function replyModeFor(stars: number, autoReplyMinStars: number): ReplyMode {
  return stars >= autoReplyMinStars ? 'auto' : 'owner';
}

/** A tenant with no new review for this long is checked less often. */
export const INACTIVE_AFTER_MS = 30 * 24 * 3_600_000;
/** How often an active tenant is checked. */
export const ACTIVE_CHECK_INTERVAL_MS = 3_600_000;
/** How often an inactive tenant is checked. */
export const INACTIVE_CHECK_INTERVAL_MS = 6 * 3_600_000;
/**
 * On a tenant's first check, only reviews changed this recently get a reply or a draft; older ones
 * are mirrored as history (an owner who connects Google does not want 200 drafts at once).
 */
export const BACKFILL_WINDOW_MS = 14 * 24 * 3_600_000;

/** A stable offset within `periodMs` derived from the tenant id, so tenants spread across the period. */
export function checkOffsetMs(tenantId: string, periodMs: number): number {
  const digest = createHash('sha256').update(tenantId).digest();
  return digest.readUIntBE(0, 6) % periodMs;
}

/** Whether a tenant has had no new review (and asked nobody for one) for 30 days. */
export function isInactive(lastActivityAt: Date | null | undefined, now = new Date()): boolean {
  return !lastActivityAt || now.getTime() - lastActivityAt.getTime() > INACTIVE_AFTER_MS;
}

/**
 * The tenant's next check strictly after `now`: at its own minute of the hour (active) or of its
 * six-hour slot (inactive), so a thousand tenants never all call Google at :00.
 */
export function nextCheckAt(tenantId: string, now: Date, inactive: boolean): Date {
  const period = inactive ? INACTIVE_CHECK_INTERVAL_MS : ACTIVE_CHECK_INTERVAL_MS;
  const offset = checkOffsetMs(tenantId, period);
  const slot = Math.floor((now.getTime() - offset) / period) * period + offset;
  return new Date(slot + period);
}

/** The tenant's next check time, from its last new review and its recent review requests. */
export async function scheduleNextCheck(tenant: Tenant, now = new Date()): Promise<Date> {
  const fresh = await TenantModel.findById(tenant._id, { google: 1 });
  let lastActivity = fresh?.google?.lastNewReviewAt ?? null;
  if (isInactive(lastActivity, now)) {
    // Someone was asked for a review lately: one may come any hour now.
    const asked = await ReviewRequestModel.findOne({ tenantId: tenant.id, sentAt: { $gt: new Date(now.getTime() - INACTIVE_AFTER_MS) } }, { sentAt: 1 });
    lastActivity = asked?.sentAt ?? lastActivity;
  }
  const at = nextCheckAt(tenant.id, now, isInactive(lastActivity, now));
  await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.nextCheckAt': at } });
  return at;
}

// ---------------------------------------------------------------------------------------------
// Reviewer ↔ review request names

// Common Israeli first names and surnames in Hebrew and their usual Latin spellings.
const TRANSLITERATIONS: Record<string, string[]> = {
  'דנה': ['dana'], 'דני': ['dani', 'danny'], 'דניאל': ['daniel'], 'דוד': ['david', 'dudi'], 'יוסי': ['yossi', 'yosi', 'josi'],
  'יוסף': ['yosef', 'joseph', 'josef'], 'משה': ['moshe', 'moses'], 'שרה': ['sarah', 'sara'], 'מיכל': ['michal'],
  'נועה': ['noa', 'noah'], 'אבי': ['avi'], 'רונית': ['ronit'], 'יעל': ['yael', 'yaël'], 'תמר': ['tamar'], 'אורי': ['ori', 'uri'],
  'איתי': ['itai', 'itay'], 'עומר': ['omer', 'omar'], 'אלון': ['alon'], 'גיל': ['gil'], 'רון': ['ron'], 'שירה': ['shira'],
  'רחל': ['rachel', 'rahel'], 'לאה': ['lea', 'leah'], 'יונתן': ['yonatan', 'jonathan', 'jonatan'], 'מיכאל': ['michael', 'michael'],
  'אברהם': ['avraham', 'abraham'], 'יצחק': ['yitzhak', 'itzhak', 'isaac'], 'יעקב': ['yaakov', 'yakov', 'jacob'],
  'חיים': ['haim', 'chaim', 'hayim'], 'נתן': ['natan', 'nathan'], 'עדי': ['adi'], 'ליאור': ['lior'], 'מאיה': ['maya', 'maia'],
  'רותם': ['rotem'], 'עמית': ['amit'], 'אסף': ['asaf', 'assaf'], 'טל': ['tal'], 'הילה': ['hila', 'hilla'], 'שני': ['shani'],
  'אייל': ['eyal'], 'אורן': ['oren'], 'ניר': ['nir'], 'גלית': ['galit'], 'אביטל': ['avital'], 'נוי': ['noy', 'noi'],
  'שלמה': ['shlomo'], 'אליהו': ['eliyahu', 'eli'], 'אלי': ['eli'], 'מוחמד': ['mohammed', 'muhammad', 'mohamed'],
  'אחמד': ['ahmad', 'ahmed'], 'כהן': ['cohen', 'kohen'], 'לוי': ['levi', 'levy'], 'מזרחי': ['mizrahi', 'mizrachi'],
  'פרץ': ['peretz', 'perez'], 'ביטון': ['biton', 'bitton'], 'אברהמי': ['avrahami'], 'פרידמן': ['friedman', 'fridman'],
  'שפירא': ['shapira', 'shapiro'], 'גולן': ['golan'], 'אזולאי': ['azulay', 'azoulay'], 'דהן': ['dahan'], 'עזרא': ['ezra'],
};
const FINAL_LETTERS: Record<string, string> = { 'ך': 'כ', 'ם': 'מ', 'ן': 'נ', 'ף': 'פ', 'ץ': 'צ' };

/** Lower case, without niqqud, accents, punctuation or final-letter forms; words split on spaces. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ךםןףץ]/g, (c) => FINAL_LETTERS[c]!)
    .replace(/['’‘`׳״"]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

const LATIN_NAMES = new Map<string, string>();
for (const [hebrew, latin] of Object.entries(TRANSLITERATIONS)) {
  const key = nameWords(hebrew)[0]!;
  for (const spelling of latin) LATIN_NAMES.set(spelling, key);
}

// A rough consonant skeleton for names outside the table: Hebrew matres lectionis and gutturals,
// and Latin vowels and h, carry no weight; letters that sound alike share a class.
const HEBREW_SOUNDS: Record<string, string> = {
  'ב': 'b', 'ג': 'g', 'ד': 'd', 'ז': 'z', 'ט': 't', 'כ': 'k', 'ל': 'l', 'מ': 'm', 'נ': 'n', 'ס': 's', 'פ': 'p', 'צ': 'C',
  'ק': 'k', 'ר': 'r', 'ש': 's', 'ת': 't', 'ח': 'k',
};
function hebrewSkeletons(word: string): string[] {
  // ו is a vowel or a v: try both.
  let variants = [''];
  for (const ch of word) {
    if (ch === 'ו') variants = variants.flatMap((v) => [v, `${v}b`]);
    else variants = variants.map((v) => v + (HEBREW_SOUNDS[ch] ?? ''));
  }
  return variants;
}
function latinSkeleton(word: string): string {
  return word
    // Upper case marks the ts sound, so the c → k rule below leaves it alone.
    .replace(/tz|ts/g, 'C')
    .replace(/ch|kh|ck|c|q|x/g, 'k')
    .replace(/sh/g, 's')
    .replace(/ph|f/g, 'p')
    .replace(/[vw]/g, 'b')
    .replace(/[aeiouyh]/g, '')
    .replace(/(.)\1+/g, '$1');
}
const isHebrew = (word: string) => /\p{Script=Hebrew}/u.test(word);

/** Whether two single name words are the same name, in either script. */
export function sameNameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [he, latin] = isHebrew(a) ? [a, b] : [b, a];
  if (!isHebrew(he) || isHebrew(latin)) return false;
  if (LATIN_NAMES.get(latin) === he) return true;
  if (latin.length < 2) return false;
  return hebrewSkeletons(he).some((s) => s !== '' && s === latinSkeleton(latin));
}

/**
 * Whether a Google reviewer name is plausibly the review request's customer: the same name up to
 * case, spacing, niqqud and Hebrew↔English spelling; or the same first name where one side gives
 * only a first name (or an initial for the surname).
 */
export function namesMatch(reviewerName: string, customerName: string): boolean {
  const a = nameWords(reviewerName);
  const b = nameWords(customerName);
  if (a.length === 0 || b.length === 0) return false;
  if (!sameNameWord(a[0]!, b[0]!)) return false;
  if (a.length === 1 || b.length === 1) return true;
  const [x, y] = [a[1]!, b[1]!];
  if (x.length === 1 || y.length === 1) return x[0] === y[0] || (x.length > 1 ? sameNameWord(x, y) : sameNameWord(y, x)) || initialMatches(x, y);
  return sameNameWord(x, y);
}

// "Levi" and "ל" (or "L" and "לוי"): an initial in the other script is too weak to judge; accept it.
function initialMatches(x: string, y: string): boolean {
  return isHebrew(x) !== isHebrew(y);
}

/** Request statuses that a review can still close. */
const OPEN_REQUEST_STATUSES = ['scheduled', 'sent', 'reminded'] as const;

/**
 * Closes the open review request whose customer wrote this review: the most recent request with
 * the same full name, or, failing that, the only one whose name merely matches loosely.
 * Returns the request id, or null.
 */
export async function closeMatchingRequest(tenant: Tenant, review: Review): Promise<string | null> {
  if (!review.reviewerName) return null;
  const open = await ReviewRequestModel.find({ tenantId: tenant.id, status: { $in: OPEN_REQUEST_STATUSES }, customerName: { $exists: true } })
    .sort({ createdAt: -1 })
    .limit(500);
  const reviewer = nameWords(review.reviewerName).join(' ');
  const exact = open.filter((r) => nameWords(r.customerName ?? '').join(' ') === reviewer);
  const loose = open.filter((r) => namesMatch(review.reviewerName!, r.customerName ?? ''));
  // Two different customers called Dana: a loose match could close the wrong one, so close none.
  const phones = new Set(loose.map((r) => r.phone));
  const chosen = exact[0] ?? (phones.size === 1 ? loose[0] : undefined);
  if (!chosen) return null;
  const closed = await ReviewRequestModel.updateMany(
    { tenantId: tenant.id, phone: chosen.phone, status: { $in: OPEN_REQUEST_STATUSES } },
    { $set: { status: 'reviewed', reviewId: review.id } },
  );
  if (closed.modifiedCount > 0) {
    await recordActivity(tenant.id, 'review.received', `review request to ${chosen.phone} closed: ${review.reviewerName} wrote a review`, chosen.id);
  }
  return chosen.id as string;
}

// ---------------------------------------------------------------------------------------------
// The check

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
    throw new IntegrationError(`no Google location linked for tenant ${tenant.slug} (run: findo google link ${tenant.slug} --location accounts/…/locations/…)`, 'permanent', {
      provider: 'google', code: 'no_location',
    });
  }
  const summary: CheckSummary = {
    tenantId: tenant.id, locationName, pages: 0, fetched: 0, newReviews: 0, editedReviews: 0, autoReplies: 0, drafts: 0, requestsClosed: 0, nextCheckAt: now,
  };

  const changed: GoogleReview[] = [];
  try {
    const google = await services.googleFor(tenant);
    const firstSync = !(await ReviewModel.exists({ tenantId: tenant.id }));
    let pageToken: string | undefined;
    let reachedKnown = false;
    do {
      const page = await google.listReviews(locationName, { orderBy: 'updateTime desc', pageSize: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) });
      summary.pages += 1;
      const held = new Map(
        (await ReviewModel.find({ tenantId: tenant.id, googleReviewId: { $in: page.reviews.map((r) => r.reviewId) } }, { googleReviewId: 1, updateTime: 1 }))
          .map((r) => [r.googleReviewId, r.updateTime?.getTime() ?? 0]),
      );
      for (const review of page.reviews) {
        const heldAt = held.get(review.reviewId);
        if (heldAt !== undefined && Date.parse(review.updateTime) <= heldAt) {
          reachedKnown = true;
          break;
        }
        changed.push(review);
      }
      options.onProgress?.({ pages: summary.pages, fetched: changed.length, ...(page.totalReviewCount === undefined ? {} : { total: page.totalReviewCount }) });
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
      await TenantModel.updateOne(
        { _id: tenant._id },
        { $max: { 'google.lastNewReviewAt': new Date(newestCreate) } },
      );
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
  services: Services, tenant: Tenant, review: GoogleReview, context: { firstSync: boolean; now: Date },
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
    ? { state: 'posted' as const, text: review.reply.comment, auto: false, ...(review.reply.state ? { moderationState: review.reply.state } : {}) }
    : { state: 'none' as const };
  let stored: Review;
  let isNew = true;
  try {
    stored = await ReviewModel.create({ tenantId: tenant.id, googleReviewId: review.reviewId, ...fields, reply: external });
    await recordActivity(tenant.id, 'review.received', `${review.stars}★ review from ${review.reviewerName ?? 'an anonymous reviewer'}`, stored.id);
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
  const stuck = await ReviewModel.find({ tenantId: tenant.id, 'reply.state': { $in: ['posting', 'awaiting_owner'] }, updatedAt: { $lt: stale } }).limit(50);
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
  await ReviewModel.updateOne({ tenantId: tenant.id, _id: stored._id }, { $set: { 'reply.moderationState': 'REJECTED', 'reply.state': 'failed' } });
  await tellOwner(services, tenant, `review-rejected:${stored.id}`, t(tenant.language as Language, 'owner.replyRejected', { reviewer: reviewerLabel(tenant, stored) }));
}

// ---------------------------------------------------------------------------------------------
// Posting

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
        await applyApprovalEvent(services, tenant, review.id, { type: 'REPLY_POSTED' }, `posted:${review.id}`);
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
      await recordActivity(tenant.id, 'review.replied', `reply to ${review.reviewerName ?? 'a review'} not posted: ${error.message}`, review.id);
      await onGoogleFailure(services, tenant, error);
      await afterPost(services, tenant, review, text, 'failed', isDisconnect(error));
      return 'failed';
    }

    const rejected = moderation === 'REJECTED';
    await ReviewModel.updateOne(
      { tenantId, _id: review._id },
      { $set: { 'reply.state': rejected ? 'failed' : 'posted', 'reply.text': text, 'reply.postedAt': new Date(), ...(moderation ? { 'reply.moderationState': moderation } : {}) } },
    );
    await recordActivity(tenant.id, 'review.replied', `${review.reply.auto ? 'automatic ' : ''}reply to ${review.reviewerName ?? 'a review'} ${rejected ? 'rejected by Google' : 'posted'}`, review.id);
    await afterPost(services, tenant, review, text, rejected ? 'rejected' : 'posted', false);
    return rejected ? 'rejected' : 'posted';
  }, { ttlMs: 2 * 60_000 });
}

/** Tells the approval (or, for an automatic reply, the owner) how posting went. */
async function afterPost(services: Services, tenant: Tenant, review: Review, text: string, outcome: 'posted' | 'rejected' | 'failed', disconnected: boolean) {
  const language = tenant.language as Language;
  if (!review.reply?.auto) {
    const event = outcome === 'posted' ? { type: 'REPLY_POSTED' as const } : { type: 'POST_FAILED' as const, permanent: true };
    await applyApprovalEvent(services, tenant, review.id, event, `posted:${review.id}`);
    return;
  }
  if (disconnected) return; // the owner hears about the disconnection instead
  const reviewer = reviewerLabel(tenant, review);
  if (outcome === 'posted') {
    await tellOwner(services, tenant, `review-auto-posted:${review.id}`, t(language, 'owner.reviewAutoPosted', { reviewer, stars: review.stars ?? 0, reply: text }));
  } else {
    await tellOwner(services, tenant, `review-rejected:${review.id}`, t(language, 'owner.replyRejected', { reviewer }));
  }
}

// ---------------------------------------------------------------------------------------------
// Disconnection

const isDisconnect = (error: IntegrationError) => error.details.code === 'invalid_grant';

/**
 * A revoked or expired grant: the tenant is marked disconnected (so checks stop), staff see it in
 * the activity feed, and the owner is told once per grant. Other failures change nothing here.
 */
export async function onGoogleFailure(services: Services, tenant: Tenant, error: IntegrationError): Promise<void> {
  if (!isDisconnect(error)) return;
  const changed = await TenantModel.updateOne({ _id: tenant._id, 'google.connected': { $ne: false } }, { $set: { 'google.connected': false } });
  if (changed.modifiedCount > 0) {
    await recordActivity(tenant.id, 'google.revoked', `Google access revoked or expired; the owner must reconnect (findo google connect ${tenant.slug})`);
  }
  // Keyed by the grant, so the owner hears it once per grant however many workers notice.
  const tokens = await mongoTokenStore({ tenantId: tenant.id, vault: services.vault }).load().catch(() => null);
  const grant = tokens ? createHash('sha256').update(tokens.refreshToken).digest('hex').slice(0, 16) : 'none';
  await tellOwner(services, tenant, `google-disconnected:${grant}`, t(tenant.language as Language, 'owner.googleDisconnected'));
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The reviewer's name as shown to the owner. */
export function reviewerLabel(tenant: Tenant, review: Pick<Review, 'reviewerName'>): string {
  return review.reviewerName?.trim() || t(tenant.language as Language, 'owner.unknownValue');
}

/** A message to the tenant's primary owner, once per key. */
export async function tellOwner(services: Services, tenant: Tenant, key: string, text: string): Promise<void> {
  const phone = tenant.ownerPhones[0];
  if (!phone) return;
  await sendMessage(services, { tenantId: tenant.id, phone, audience: 'owner', idempotencyKey: key, content: { kind: 'text', text } });
}
