/**
 * The owner's WhatsApp chat (flow F4 and the approvals of F3): photos for the Google profile and
 * their category question, lead buttons, answers to review and post drafts, the location list and
 * the settings menu, and the commands help, leads, reviews, what's new, stats, pause, resume,
 * settings, google and post.
 */
import { recordActivity } from '../activity.ts';
import { LeadModel, ReviewModel, ReviewRequestModel, TenantModel, type Customer, type Tenant } from '../db/models/index.ts';
import { parseOwnerCommand } from '../intents.ts';
import { alertOwners, replyToOwner, textAlert } from '../outbound/owner-alerts.ts';
import { formatContact, formatNational } from '../../lib/phone.ts';
import type { Services } from '../services.ts';
import { t } from '../texts/index.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';
import { wallClock } from '../../lib/clock.ts';
import { handleLocationPick, sendGoogleConnectLink } from './google-connect.ts';
import { handleOwnerSettingsReply, openOwnerSettings } from './owner-settings.ts';
import { handlePhotoCategoryReply, isOwnerPhoto, receiveOwnerPhoto } from './photos/batch.ts';
import { handleOwnerApprovalReply, pendingApprovals } from './draft-approvals.ts';
import { reviewerLabel } from './reviews/replies.ts';

const LEAD_BUTTON = /^lead:([0-9a-f]{24}):(calling_back|done)$/;
const DAY_MS = 24 * 3_600_000;
const WEEK_MS = 7 * DAY_MS;

/** Leads, review requests sent, new reviews and replies posted since a moment. */
async function numbersSince(tenant: Tenant, since: Date) {
  const [leads, requests, reviews, replies] = await Promise.all([
    LeadModel.countDocuments({ tenantId: tenant.id, createdAt: { $gte: since } }),
    ReviewRequestModel.countDocuments({ tenantId: tenant.id, sentAt: { $gte: since } }),
    ReviewModel.countDocuments({ tenantId: tenant.id, createTime: { $gte: since } }),
    ReviewModel.countDocuments({ tenantId: tenant.id, 'reply.postedAt': { $gte: since } }),
  ]);
  return { leads, requests, reviews, replies };
}

/** The owner's week in numbers (the `סטטיסטיקה` answer and the Sunday digest). */
export async function weekInNumbers(tenant: Tenant, now = new Date()): Promise<string> {
  return t(tenant.language, 'owner.stats', await numbersSince(tenant, new Date(now.getTime() - WEEK_MS)));
}

/** Today's numbers, from midnight in the tenant's time zone (the `מה חדש` answer). */
export async function todayInNumbers(tenant: Tenant, now = new Date()): Promise<string> {
  const clock = wallClock(now, tenant.timezone);
  const sinceMidnightMs = ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1000 + now.getMilliseconds();
  return t(tenant.language, 'owner.today', await numbersSince(tenant, new Date(now.getTime() - sinceMidnightMs)));
}

const RECENT_REVIEWS = 5;

/** The last reviews with the state of their answer, and the numbers of the drafts waiting (the `ביקורות` answer). */
export async function recentReviews(tenant: Tenant): Promise<string> {
  const language = tenant.language;
  const [reviews, pending] = await Promise.all([
    ReviewModel.find({ tenantId: tenant.id }).sort({ createTime: -1 }).limit(RECENT_REVIEWS),
    pendingApprovals(tenant.id),
  ]);
  const drafts = pending.length
    ? t(language, 'owner.reviews.drafts', { numbers: pending.map((c) => c.number).join(', ') })
    : t(language, 'owner.reviews.noDrafts');
  if (reviews.length === 0) return `${t(language, 'owner.reviews.none')}\n\n${drafts}`;
  const stateOf = (state: string | null | undefined) =>
    t(
      language,
      state === 'posted'
        ? 'owner.reviews.state.replied'
        : state === 'awaiting_owner'
          ? 'owner.reviews.state.waiting'
          : 'owner.reviews.state.open',
    );
  const list = reviews.map((r) => `• ${'⭐'.repeat(r.stars ?? 0)} ${reviewerLabel(tenant, r)}: ${stateOf(r.reply?.state)}`).join('\n');
  return `${t(language, 'owner.reviews.list', { list })}\n\n${drafts}`;
}

/**
 * The Sunday digest (flow F4): each active tenant's owners get the week in numbers, once per week
 * (the key names the week), through the sender (a template when the owner's window is closed).
 */
export async function sendWeeklyDigests(services: Services, now = new Date()): Promise<number> {
  // The Sunday that starts this week (UTC): a rerun any day of the same week finds the same key.
  const week = new Date(now.getTime() - now.getUTCDay() * DAY_MS).toISOString().slice(0, 10);
  const tenants = await TenantModel.find({ disabled: { $ne: true } });
  for (const tenant of tenants) {
    const text = await weekInNumbers(tenant, now);
    await alertOwners(services, tenant, textAlert(`digest:${week}`, text), { audience: 'all' });
  }
  return tenants.length;
}

export async function handleOwnerMessage(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<void> {
  const language = tenant.language;
  const reply = (text: string) => replyToOwner(services, tenant, item, text);

  const button = item.replyId?.match(LEAD_BUTTON);
  if (button) {
    const [, leadId, status] = button;
    const lead = await LeadModel.findOneAndUpdate({ tenantId: tenant.id, _id: leadId }, { $set: { status } }, { returnDocument: 'after' });
    if (!lead) return;
    await recordActivity(tenant.id, 'lead.updated', `lead ${lead.phone} marked ${status} by the owner`, lead.id);
    await reply(
      t(language, 'owner.leadStatusUpdated', {
        status: t(language, status === 'done' ? 'owner.leadStatus.done' : 'owner.leadStatus.callingBack'),
      }),
    );
    return;
  }

  // Any image is a photo for the Google profile (its caption may name the category).
  if (isOwnerPhoto(item)) return receiveOwnerPhoto(services, tenant, item);

  // A list or menu the owner just asked for takes their answer before any older pending draft.
  if (await handleLocationPick(services, tenant, item)) return;
  if (await handleOwnerSettingsReply(services, tenant, item)) return;
  if (await handlePhotoCategoryReply(services, tenant, item)) return;
  if (await handleOwnerApprovalReply(services, tenant, item)) return;

  const command = parseOwnerCommand(item.text ?? '');
  switch (command) {
    case 'help':
      return void (await reply(t(language, 'owner.help')));
    case 'leads': {
      const leads = await LeadModel.find({ tenantId: tenant.id }).sort({ createdAt: -1 }).limit(5);
      if (leads.length === 0) return void (await reply(t(language, 'owner.noLeads')));
      const unknown = t(language, 'owner.unknownValue');
      const list = leads.map((l) => `• ${l.name ?? unknown} · ${l.need ?? unknown} · ${formatNational(l.phone)}`).join('\n');
      return void (await reply(t(language, 'owner.leadsList', { list })));
    }
    case 'stats':
      return void (await reply(await weekInNumbers(tenant)));
    case 'reviews':
      return void (await reply(await recentReviews(tenant)));
    case 'today':
      return void (await reply(await todayInNumbers(tenant)));
    case 'settings':
      return openOwnerSettings(services, tenant, item);
    case 'google':
      return sendGoogleConnectLink(services, tenant, item);
    case 'post':
      // The draft comes as its own message (the AI may take seconds): keyed by this message, once.
      if (!tenant.google?.connected || !tenant.google.locationName) return void (await reply(t(language, 'posts.notConnected')));
      return services.enqueue('post-draft', { tenantId: tenant.id, key: `owner:${item.messageId}`, origin: 'owner' });
    case 'pause':
    case 'resume': {
      const paused = command === 'pause';
      await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'settings.paused': paused } });
      await recordActivity(tenant.id, 'tenant.changed', `automations ${paused ? 'paused' : 'resumed'} by the owner`);
      return void (await reply(t(language, paused ? 'owner.paused' : 'owner.resumed')));
    }
    case null:
      if (item.text?.trim()) await reply(t(language, 'owner.unknownCommand'));
      return;
  }
}

/** A customer's message that a person should read (after a handoff, or a reply to a request). */
export async function forwardToOwners(
  services: Services,
  tenant: Tenant,
  item: WhatsAppInboundMessage,
  customer: Customer,
  fallbackName?: string,
) {
  const language = tenant.language;
  const text = t(language, 'owner.customerReply', {
    phone: formatContact(item.from, customer.name),
    name: customer.name ?? fallbackName ?? t(language, 'owner.unknownValue'),
    text: item.text ?? `[${item.type}]`,
  });
  await alertOwners(services, tenant, textAlert(`forward:${item.messageId}`, text), { audience: 'all' });
}
