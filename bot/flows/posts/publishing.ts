/**
 * Publishing an approved post on Google (`publish-post`) and reading Google's moderation of it
 * later (`check-post`), flow F4. Nothing is posted twice: the post record is published only while
 * its state is `publishing`, under its lock; and once a create has been tried, a later attempt (a
 * retry after a timeout or a 5xx, a worker killed mid-call) first looks for the post on Google by
 * its text before creating it again.
 */
import { recordActivity } from '../../activity.ts';
import { PostModel, TenantModel, type Post, type Tenant } from '../../db/models/index.ts';
import { withLock } from '../../locks.ts';
import { alertOwners, textAlert } from '../../outbound/owner-alerts.ts';
import type { Services } from '../../services.ts';
import { t } from '../../texts/index.ts';
import { isIntegrationError, type IntegrationError } from '../../../integrations/errors.ts';
import type { CallToActionJson, LocalPost, LocalPostsPort } from '../../../integrations/google/local-posts.ts';
import { postOptions } from '../../../jobs/catalog.ts';
import { applyApprovalEvent } from '../draft-approvals.ts';
import { onGoogleFailure } from '../reviews/disconnect.ts';

/** How many of the location's newest posts are searched for one whose answer was lost. */
const LOOKBACK_POSTS = 20;
/** Google's clock may differ from ours: a lost post's createTime is compared with this margin. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The post's button: the review link when the tenant has one, else a call to the business. */
export function callToActionFor(tenant: Tenant): CallToActionJson {
  return tenant.reviewLink ? { actionType: 'LEARN_MORE', url: tenant.reviewLink } : { actionType: 'CALL' };
}

/** Publishes one approved post (only while it is `publishing`). Retryable failures throw for the job. */
export async function publishPost(services: Services, tenantId: string, postRef: string): Promise<void> {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant) return;
  await withLock(tenantId, `post:${postRef}`, async () => {
    const post = await PostModel.findOne({ tenantId, _id: postRef });
    if (!post) return;
    if (post.state !== 'publishing') {
      // Published before a crash kept the approval (or the check) from hearing it: tell them now (keyed, so once).
      if (post.googleName) await afterPublished(services, tenant, post);
      return;
    }
    const locationName = tenant.google?.locationName;
    if (!locationName) return fail(services, tenant, post, 'no Google location linked');
    const text = post.text ?? post.draft;

    let published: LocalPost;
    try {
      const google = await services.googleFor(tenant);
      const lost = post.publishAttemptedAt ? await findLostPost(google, tenant, locationName, text, post.publishAttemptedAt) : null;
      // The first attempt's time stays: whatever any attempt created was created after it.
      if (!post.publishAttemptedAt) await PostModel.updateOne({ tenantId, _id: post._id }, { $set: { publishAttemptedAt: new Date() } });
      published =
        lost ??
        (await google.createLocalPost(locationName, {
          summary: text,
          languageCode: post.language,
          callToAction: callToActionFor(tenant),
        }));
    } catch (error) {
      if (!isIntegrationError(error) || error.isRetryable) throw error;
      await onGoogleFailure(services, tenant, error);
      return fail(services, tenant, post, error.message, error);
    }

    const updated = await PostModel.findOneAndUpdate(
      { tenantId, _id: post._id, state: 'publishing' },
      { $set: { state: 'published', text, googleName: published.name, googleState: published.state, publishedAt: new Date() } },
      { returnDocument: 'after' },
    );
    await recordActivity(tenantId, 'post.published', `post published on Google (${published.state})`, post.id);
    if (updated) await afterPublished(services, tenant, updated);
  });
}

/** A post created by an earlier attempt whose answer never came back: same text, created since that attempt, not another record's. */
async function findLostPost(
  google: LocalPostsPort,
  tenant: Tenant,
  locationName: string,
  text: string,
  attemptedAt: Date,
): Promise<LocalPost | null> {
  const recent = await google.listLocalPosts(locationName, LOOKBACK_POSTS);
  const since = attemptedAt.getTime() - CLOCK_SKEW_MS;
  for (const candidate of recent) {
    if (candidate.summary !== text || Date.parse(candidate.createTime) < since) continue;
    // The same words may have been approved twice: a post another record owns is not this one.
    if (!(await PostModel.exists({ tenantId: tenant.id, googleName: candidate.name }))) return candidate;
  }
  return null;
}

/** The approval hears it was published, and the moderation check is queued (both keyed: once). */
async function afterPublished(services: Services, tenant: Tenant, post: Post): Promise<void> {
  await services.enqueue(
    'check-post',
    { tenantId: tenant.id, postRef: post.id, round: 1 },
    { at: new Date(Date.now() + postOptions.checkAfterMs) },
  );
  await applyApprovalEvent(services, tenant, { subject: 'post', subjectId: post.id }, { type: 'PUBLISHED' }, `published:${post.id}`);
}

async function fail(services: Services, tenant: Tenant, post: Post, reason: string, error?: IntegrationError): Promise<void> {
  await PostModel.updateOne({ tenantId: tenant.id, _id: post._id }, { $set: { state: 'failed', error: reason } });
  await recordActivity(tenant.id, 'post.published', `post not published: ${error?.details.code ?? reason}`, post.id);
  await applyApprovalEvent(
    services,
    tenant,
    { subject: 'post', subjectId: post.id },
    { type: 'PUBLISH_FAILED', permanent: true },
    `published:${post.id}`,
  );
}

/**
 * Reads Google's moderation of a published post: `LIVE` is recorded, `REJECTED` is recorded and
 * told to the owners; still `PROCESSING`, it looks again later, for a while.
 */
export async function checkPublishedPost(services: Services, tenantId: string, postRef: string, round: number): Promise<void> {
  const tenant = await TenantModel.findById(tenantId);
  const post = await PostModel.findOne({ tenantId, _id: postRef });
  if (!tenant || !post?.googleName || post.state !== 'published') return;
  const google = await services.googleFor(tenant);
  const { state } = await google.getLocalPost(post.googleName);
  const now = new Date();
  if (state === 'LIVE' || state === 'REJECTED') {
    // Told before it is recorded: a crash in between tells again under the same key, never not at all.
    if (state === 'REJECTED') {
      await alertOwners(services, tenant, textAlert(`post-rejected:${post.id}`, t(tenant.language, 'posts.rejected')), { audience: 'all' });
    }
    const moderated = await PostModel.updateOne(
      { tenantId, _id: post._id, state: 'published' },
      { $set: { state: state === 'LIVE' ? 'live' : 'rejected', googleState: state, checkedAt: now } },
    );
    if (moderated.modifiedCount > 0) {
      await recordActivity(tenantId, 'post.moderated', `Google post ${state === 'LIVE' ? 'is live' : 'was rejected'}`, post.id);
    }
    return;
  }
  await PostModel.updateOne({ tenantId, _id: post._id }, { $set: { googleState: state, checkedAt: now } });
  if (now.getTime() - (post.publishedAt?.getTime() ?? 0) < postOptions.checkForMs) {
    await services.enqueue(
      'check-post',
      { tenantId, postRef, round: round + 1 },
      { at: new Date(now.getTime() + postOptions.checkEveryMs) },
    );
  }
}
