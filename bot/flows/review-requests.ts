/**
 * Invoice → review request (flow F2). A document with a customer phone schedules one request per
 * document after `reviewRequestDelay`; when due it is checked again (opt-out, cooldown, already
 * reviewed, no review link) and sent as `findo_review_request`. One `findo_review_reminder`
 * follows after `reviewReminderDelay` unless a review from that customer was seen. Everyone is
 * asked alike: no sentiment gating. A customer's reply to a request goes to the owner.
 */
import { recordActivity } from '../activity.ts';
import { formatDuration } from '../durations.ts';
import { CustomerModel, ReviewRequestModel, type Customer, type ReviewRequest, type Tenant } from '../db/models/index.ts';
import { sendMessage, type OutboundContent } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import { t } from '../texts/index.ts';
import type { DocumentIssuedEvent } from '../../integrations/events.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';
import { forwardToOwners } from './owner.ts';

/** How long after a request a customer's message counts as a reply to it. */
const REPLY_WINDOW_MS = 14 * 24 * 3_600_000;

export async function onDocumentIssued(services: Services, tenant: Tenant, document: DocumentIssuedEvent): Promise<void> {
  if (!document.customerPhone) {
    await recordActivity(
      tenant.id,
      'review_request.skipped',
      `${document.provider} document ${document.documentNumber}: no customer phone`,
    );
    return;
  }
  const maxAge = tenant.settings.reviewRequestMaxAge;
  if (Date.now() - new Date(document.issuedAt).getTime() > maxAge) {
    return recordTooOld(
      tenant,
      document,
      document.customerPhone,
      `issued ${document.issuedAt.slice(0, 10)}, longer ago than reviewRequestMaxAge (${formatDuration(maxAge)})`,
    );
  }
  const dueAt = new Date(Date.now() + tenant.settings.reviewRequestDelay);
  // One request per document (unique index): a replayed or duplicate event finds it.
  const request = await ReviewRequestModel.findOneAndUpdate(
    { tenantId: tenant.id, provider: document.provider, documentId: document.documentId },
    { $setOnInsert: { phone: document.customerPhone, customerName: document.customerName ?? undefined, status: 'scheduled', dueAt } },
    { upsert: true, returnDocument: 'after' },
  );
  await services.enqueue(
    'review-request',
    { tenantId: tenant.id, requestRef: request!.id, step: 'request' },
    { at: request!.dueAt ?? dueAt },
  );
  await recordActivity(
    tenant.id,
    'review_request.scheduled',
    `review request to ${document.customerPhone} scheduled for ${(request!.dueAt ?? dueAt).toISOString()}`,
    request!.id,
  );
}

/** A re-sent, migrated or replayed old document: recorded as skipped (once), never sent. */
async function recordTooOld(tenant: Tenant, document: DocumentIssuedEvent, phone: string, reason: string) {
  const request = await ReviewRequestModel.findOneAndUpdate(
    { tenantId: tenant.id, provider: document.provider, documentId: document.documentId },
    { $setOnInsert: { phone, customerName: document.customerName ?? undefined, status: 'skipped', skipReason: reason } },
    { upsert: true, returnDocument: 'after' },
  );
  await recordActivity(
    tenant.id,
    'review_request.skipped',
    `${document.provider} document ${document.documentNumber}: no review request, ${reason}`,
    request!.id,
  );
}

/** Why a request (or reminder) is not sent, or null. */
async function requestBlocker(tenant: Tenant, request: ReviewRequest, step: 'request' | 'reminder'): Promise<string | null> {
  if (!tenant.reviewLink) return 'no review link';
  const customer = await CustomerModel.findOne({ tenantId: tenant.id, phone: request.phone });
  if (customer?.optedOut) return 'opted out';
  if (step === 'request') {
    const cooldown = tenant.settings.reviewRequestCooldown;
    const recent = await ReviewRequestModel.exists({
      tenantId: tenant.id,
      phone: request.phone,
      _id: { $ne: request._id },
      sentAt: { $gte: new Date(Date.now() - cooldown) },
    });
    if (recent) return 'asked within the cooldown';
    const reviewedBefore = await ReviewRequestModel.exists({ tenantId: tenant.id, phone: request.phone, status: 'reviewed' });
    if (reviewedBefore) return 'the customer already reviewed';
  }
  return null;
}

/** Sends the due request or reminder (run by the review-request job). */
export async function sendReviewRequestStep(services: Services, tenant: Tenant, request: ReviewRequest, step: 'request' | 'reminder') {
  if (step === 'request' && request.status !== 'scheduled') return;
  if (step === 'reminder' && request.status !== 'sent') return;
  const blocker = await requestBlocker(tenant, request, step);
  if (blocker) {
    await ReviewRequestModel.updateOne(
      { tenantId: tenant.id, _id: request._id, status: request.status },
      { $set: { status: step === 'request' ? 'skipped' : request.status, skipReason: blocker } },
    );
    await recordActivity(tenant.id, 'review_request.skipped', `review ${step} to ${request.phone} not sent: ${blocker}`, request.id);
    return;
  }
  const link = tenant.reviewLink!;
  const content: OutboundContent =
    step === 'request'
      ? {
          kind: 'template',
          name: 'findo_review_request',
          vars: { name: request.customerName || t(tenant.language, 'reviewRequest.customerFallbackName'), business: tenant.name, link },
        }
      : { kind: 'template', name: 'findo_review_reminder', vars: { business: tenant.name, link } };
  const outcome = await sendMessage(services, {
    tenantId: tenant.id,
    phone: request.phone,
    audience: 'customer',
    idempotencyKey: `review-${step}:${request.id}`,
    content,
  });
  if (outcome.status === 'deferred' || outcome.status === 'in_flight') return; // the sender's own job finishes it
  if (outcome.status !== 'sent') {
    await ReviewRequestModel.updateOne(
      { tenantId: tenant.id, _id: request._id },
      { $set: { skipReason: outcome.reason, ...(step === 'request' ? { status: 'skipped' } : {}) } },
    );
    return;
  }
  const now = new Date();
  await ReviewRequestModel.updateOne(
    { tenantId: tenant.id, _id: request._id },
    { $set: step === 'request' ? { status: 'sent', sentAt: now } : { status: 'reminded', remindedAt: now } },
  );
  await CustomerModel.updateOne({ tenantId: tenant.id, phone: request.phone }, { $set: { lastReviewRequestAt: now } }, { upsert: true });
  await recordActivity(tenant.id, 'review_request.sent', `review ${step} sent to ${request.phone}`, request.id);
  if (step === 'request') {
    await services.enqueue(
      'review-request',
      { tenantId: tenant.id, requestRef: request.id, step: 'reminder' },
      {
        at: new Date(now.getTime() + tenant.settings.reviewReminderDelay),
      },
    );
  }
}

/**
 * A customer wrote after a review request: the owner gets it and the customer a thank-you.
 * Returns false when the customer has no recent request (the message is routed elsewhere).
 */
export async function forwardReviewRequestReply(
  services: Services,
  tenant: Tenant,
  item: WhatsAppInboundMessage,
  customer: Customer,
): Promise<boolean> {
  const request = await ReviewRequestModel.findOne({
    tenantId: tenant.id,
    phone: item.from,
    status: { $in: ['sent', 'reminded'] },
    sentAt: { $gte: new Date(Date.now() - REPLY_WINDOW_MS) },
  }).sort({ sentAt: -1 });
  if (!request) return false;
  const language = tenant.language;
  await forwardToOwners(services, tenant, item, customer, request.customerName ?? undefined);
  await sendMessage(services, {
    tenantId: tenant.id,
    phone: item.from,
    audience: 'customer',
    idempotencyKey: `request-reply-thanks:${item.messageId}`,
    content: { kind: 'text', text: t(language, 'reviewRequest.replyThanks', { business: tenant.name }) },
  });
  return true;
}
