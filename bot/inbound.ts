/**
 * The inbound WhatsApp pipeline: delivery statuses update our outbound records; messages are
 * stored once (deduplicated by WhatsApp message id), open the 24-hour window, handle opt-out and
 * opt-in words at any moment, and then go to the router.
 */
import { recordActivity } from './activity.ts';
import { CustomerModel, isDuplicateKey, MessageModel, type Tenant } from './db/models/index.ts';
import { parseConsentKeyword } from './outbound/consent.ts';
import { sendMessage } from './outbound/sender.ts';
import { endUndelivered } from './flows/lead-capture.ts';
import { isOwner, routeInboundMessage } from './router.ts';
import type { Services } from './services.ts';
import { t } from './texts/index.ts';
import type {
  WhatsAppInboundMessage,
  WhatsAppStatusUpdate,
  WhatsAppSystemErrors,
  WhatsAppWebhookItem,
} from '../integrations/whatsapp/webhook.ts';

/** Delivery progress never goes backwards (a late `delivered` after `read` changes nothing). */
type OutboundStatus = 'pending' | 'deferred' | 'sending' | 'unconfirmed' | 'sent' | 'delivered' | 'read';
const STATUS_RANK: Record<OutboundStatus, number> = { pending: 0, deferred: 0, sending: 1, unconfirmed: 1, sent: 2, delivered: 3, read: 4 };

export async function handleWhatsAppItem(services: Services, tenant: Tenant, item: WhatsAppWebhookItem): Promise<void> {
  switch (item.kind) {
    case 'whatsapp.status':
      return applyDeliveryStatus(services, tenant, item);
    case 'whatsapp.errors':
      return recordSystemErrors(tenant, item);
    case 'whatsapp.message':
      return handleInboundMessage(services, tenant, item);
  }
}

/** Meta's errors about the business number itself (no message to update): a line for staff. */
async function recordSystemErrors(tenant: Tenant, item: WhatsAppSystemErrors): Promise<void> {
  const described = item.errors.map((e) => [`${e.code} ${e.title}`.trim(), e.details].filter(Boolean).join(': ')).join('; ');
  await recordActivity(tenant.id, 'whatsapp.error', `WhatsApp reported an error for the business number: ${described}`);
}

async function applyDeliveryStatus(services: Services, tenant: Tenant, status: WhatsAppStatusUpdate): Promise<void> {
  // Our sends carry their key as callback data: a send whose answer (and wamid) was lost is found too.
  const message = status.callbackData ? { key: status.callbackData } : { waMessageId: status.messageId };
  const statusAt = new Date(status.timestamp);
  if (status.status === 'failed') {
    const error = status.errors[0];
    const reason = `whatsapp_${error?.code ?? 'failed'}`;
    const failed = await MessageModel.findOneAndUpdate(
      { tenantId: tenant.id, ...message, status: { $in: ['sending', 'unconfirmed', 'sent'] } },
      {
        $set: {
          status: 'failed',
          statusAt,
          waMessageId: status.messageId,
          reason,
          error: { kind: 'permanent', code: error?.code, message: error?.title },
        },
      },
    );
    // A question that never reached the customer: its conversation does not wait for an answer.
    if (failed?.conversationId && failed.audience === 'customer') await endUndelivered(services, tenant.id, failed.conversationId, reason);
    return;
  }
  const confirmed = await MessageModel.findOneAndUpdate(
    { tenantId: tenant.id, ...message, status: 'unconfirmed' },
    { $set: { status: status.status, statusAt, waMessageId: status.messageId, outcome: { decision: 'confirmed', decidedAt: new Date() } } },
  );
  if (confirmed) {
    await recordActivity(
      tenant.id,
      'message.sent',
      `message to ${confirmed.phone} confirmed by WhatsApp's ${status.status} status: not sent again`,
      confirmed.id,
    );
    return;
  }
  const lower = (Object.keys(STATUS_RANK) as OutboundStatus[]).filter(
    (name) => STATUS_RANK[name] < STATUS_RANK[status.status as OutboundStatus],
  );
  await MessageModel.updateOne(
    { tenantId: tenant.id, ...message, status: { $in: lower } },
    { $set: { status: status.status, statusAt, waMessageId: status.messageId } },
  );
}

async function handleInboundMessage(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<void> {
  const audience = isOwner(tenant, item.from) ? 'owner' : 'customer';
  const key = `in:${item.messageId}`;
  let stored = await MessageModel.findOne({ tenantId: tenant.id, key });
  if (stored?.statusAt) return; // fully handled before: a redelivery or a replay
  if (!stored) {
    try {
      stored = await MessageModel.create({
        tenantId: tenant.id,
        direction: 'in',
        phone: item.from,
        audience,
        key,
        waMessageId: item.messageId,
        kind: item.type === 'text' ? 'text' : item.media ? 'media' : 'other',
        text: item.text,
        replyId: item.replyId,
        contextMessageId: item.contextMessageId,
        media: item.media,
        status: 'received',
      });
    } catch (error) {
      if (isDuplicateKey(error)) return; // the same message, being handled by another run
      throw error;
    }
    await recordActivity(tenant.id, 'message.received', `${audience} message from ${item.from}`, stored.id);
  }
  const receivedAt = new Date(item.timestamp);
  const customer = await CustomerModel.findOneAndUpdate(
    { tenantId: tenant.id, phone: item.from },
    { $max: { lastInboundAt: receivedAt }, $setOnInsert: { name: item.profileName } },
    { upsert: true, returnDocument: 'after' },
  );

  const consent =
    audience === 'customer' ? (parseConsentKeyword(item.text ?? '') ?? (item.replyId === 'opt_out' ? 'opt_out' : null)) : null;
  if (consent) {
    const changed = await CustomerModel.updateOne(
      { tenantId: tenant.id, phone: item.from, optedOut: consent === 'opt_in' },
      { $set: { optedOut: consent === 'opt_out', optedOutAt: consent === 'opt_out' ? new Date() : undefined } },
    );
    // Confirmed once: a second STOP from an opted-out customer changes nothing and says nothing.
    if (changed.modifiedCount > 0) {
      await recordActivity(tenant.id, 'conversation.closed', `${item.from} ${consent === 'opt_out' ? 'opted out' : 'opted back in'}`);
      await sendMessage(services, {
        tenantId: tenant.id,
        phone: item.from,
        audience: 'customer',
        idempotencyKey: `consent:${item.messageId}`,
        content: { kind: 'text', text: t(tenant.language, consent === 'opt_out' ? 'consent.optedOut' : 'consent.optedIn') },
        consentConfirmation: true,
      });
    }
    if (consent === 'opt_out') await routeInboundMessage(services, tenant, { ...item, optedOut: true }, customer!);
  } else {
    await routeInboundMessage(services, tenant, item, customer!);
  }
  await MessageModel.updateOne({ tenantId: tenant.id, _id: stored._id }, { $set: { statusAt: new Date() } });
}
