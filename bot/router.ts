/**
 * The inbound router: which conversation gets a WhatsApp message. From an owner phone it is an
 * owner command or an answer to a review draft; from a customer it goes to their open lead
 * conversation, else to an open review request's owner, else a new lead conversation starts (a
 * customer who writes without a missed call is a lead too). One customer's messages are handled
 * one at a time, under a lock with an expiry.
 */
import type { Customer, Tenant } from './db/models/index.ts';
import { handleOwnerMessage } from './flows/owner.ts';
import { endLeadConversationOnOptOut, handleLeadMessage, openLeadConversation, recentlyHandedOff } from './flows/lead-capture.ts';
import { forwardToOwners } from './flows/owner.ts';
import { forwardReviewRequestReply } from './flows/review-requests.ts';
import { withLock } from './locks.ts';
import type { Services } from './services.ts';
import type { WhatsAppInboundMessage } from '../integrations/whatsapp/webhook.ts';

export type RoutedMessage = WhatsAppInboundMessage & { optedOut?: boolean };

export const isOwner = (tenant: Tenant, phone: string) => tenant.ownerPhones.includes(phone);

export async function routeInboundMessage(services: Services, tenant: Tenant, item: RoutedMessage, customer: Customer): Promise<void> {
  if (isOwner(tenant, item.from)) return handleOwnerMessage(services, tenant, item);
  await withLock(tenant.id, `customer:${item.from}`, async () => {
    const conversation = await openLeadConversation(tenant.id, item.from);
    if (item.optedOut) {
      if (conversation) await endLeadConversationOnOptOut(services, tenant, conversation, item.messageId);
      return;
    }
    const text = item.text ?? '';
    if (conversation) return handleLeadMessage(services, tenant, item.from, { id: item.messageId, text }, conversation);
    if (await recentlyHandedOff(tenant.id, item.from)) return forwardToOwners(services, tenant, item, customer);
    if (await forwardReviewRequestReply(services, tenant, item, customer)) return;
    if (customer.optedOut || !text.trim()) return;
    await handleLeadMessage(services, tenant, item.from, { id: item.messageId, text }, null);
  });
}
