/**
 * The weekly Google post's draft (flow F4): on the tenant's `postDay` at 10:00 local time, or when
 * the owner writes `פוסט`, Findo writes a short post from what it knows (bot/ai: Claude, checked,
 * or the built-in template) and sends it to the owners for approval (bot/flows/draft-approvals.ts).
 * Each draft has a key (`weekly:<slot>`, `owner:<message id>`) under which its post record is
 * unique, so a slot is served once and a retried job never drafts twice.
 */
import { recordActivity } from '../../activity.ts';
import { isDuplicateKey, LeadModel, PostModel, ReviewModel, TenantModel, type Post, type Tenant } from '../../db/models/index.ts';
import type { Services } from '../../services.ts';
import type { PostFacts } from '../../ai/index.ts';
import { weeklySlotDue } from '../../../lib/clock.ts';
import { startDraftApproval } from '../draft-approvals.ts';
import { upcomingHoliday } from './holiday.ts';

const DAY_MS = 24 * 3_600_000;
const WEEK_MS = 7 * DAY_MS;
/** The local hour of the weekly draft. */
export const POST_DRAFT_HOUR = 10;
const GOOD_REVIEW_STARS = 4;
const MAX_FACTS = 8;
const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g;

/** What Findo knows about the tenant's week, for the post: no customer's name or phone reaches it. */
export async function postFactsFor(tenant: Tenant, now: Date): Promise<PostFacts> {
  const since = new Date(now.getTime() - WEEK_MS);
  const [leads, reviews] = await Promise.all([
    LeadModel.find({ tenantId: tenant.id, createdAt: { $gte: since } }, { need: 1, name: 1 }).limit(50),
    ReviewModel.find({ tenantId: tenant.id, createTime: { $gte: since } }, { stars: 1, comment: 1, reviewerName: 1 }).limit(50),
  ]);
  const customerNames = [...leads.map((l) => l.name), ...reviews.flatMap((r) => r.reviewerName?.split(/\s+/) ?? [])].filter(
    (name): name is string => !!name && name.length >= 2,
  );
  const withoutPhones = (text: string) => text.replace(PHONE_LIKE, '').trim();
  const holiday = upcomingHoliday(now, tenant.language);
  return {
    businessName: tenant.name,
    language: tenant.language,
    kindsOfWork: [...new Set(leads.flatMap((l) => (l.need ? [withoutPhones(l.need)] : [])).filter(Boolean))].slice(0, MAX_FACTS),
    goodReviews: reviews
      .filter((r) => (r.stars ?? 0) >= GOOD_REVIEW_STARS && r.comment)
      .map((r) => withoutPhones(r.comment!))
      .slice(0, MAX_FACTS),
    ...(holiday ? { holiday } : {}),
    customerNames: [...new Set(customerNames)],
  };
}

/**
 * Writes the draft under `key` (once) and starts its approval. A draft recorded before a crash is
 * sent on, not written again.
 */
export async function draftPost(
  services: Services,
  tenant: Tenant,
  key: string,
  origin: 'weekly' | 'owner',
  now = new Date(),
): Promise<Post> {
  let post = await PostModel.findOne({ tenantId: tenant.id, key });
  if (!post) {
    // Written before anything is stored: the AI call may take seconds, and a crash here loses nothing.
    const draft = await services.text.writePost(await postFactsFor(tenant, now));
    try {
      post = await PostModel.create({ tenantId: tenant.id, key, origin, draft, language: tenant.language });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      post = (await PostModel.findOne({ tenantId: tenant.id, key }))!;
    }
  }
  const stored = post;
  await startDraftApproval(services, tenant, { subject: 'post', subjectId: stored.id, text: stored.draft }, (number) =>
    recordActivity(tenant.id, 'post.draft', `post draft ${number} (${origin}) sent to the owner`, stored.id),
  );
  return stored;
}

/** The key of the weekly slot due at `now` for a tenant, or null when none is due. */
export function dueWeeklySlot(tenant: Tenant, now: Date): string | null {
  const slot = weeklySlotDue(now, {
    timezone: tenant.timezone,
    day: tenant.settings.postDay,
    hour: POST_DRAFT_HOUR,
    since: tenant.createdAt,
  });
  return slot && `weekly:${slot.toISOString()}`;
}

/** Queues the weekly draft of every connected tenant whose slot is due and not yet served. */
export async function dispatchWeeklyPostDrafts(services: Services, now = new Date()): Promise<number> {
  const tenants = await TenantModel.find({
    disabled: { $ne: true },
    'google.connected': true,
    'google.locationName': { $exists: true, $ne: null },
    'settings.postDay': { $ne: 'off' },
  }).limit(1000);
  let queued = 0;
  for (const tenant of tenants) {
    const key = dueWeeklySlot(tenant, now);
    if (!key || (await PostModel.exists({ tenantId: tenant.id, key }))) continue;
    await services.enqueue('post-draft', { tenantId: tenant.id, key, origin: 'weekly' });
    queued += 1;
  }
  return queued;
}
