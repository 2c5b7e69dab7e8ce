/**
 * Alerts to a business's owners: what Findo tells owners on its own initiative, as opposed to its
 * answers to what an owner wrote. Every owner alert goes to all the tenant's owners (`audience:
 * 'all'`): new, partial and handed-off leads, customer replies forwarded, review drafts and their
 * reminders, replies posted, skipped or rejected, Google disconnected, and the weekly digest. Only a
 * note about an owner's own answer (the draft another owner already answered) goes to that owner.
 * Each owner's copy is keyed by the alert's key and the owner's phone, so it is sent once.
 */
import type { Tenant } from '../db/models/index.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';
import type { Services } from '../services.ts';
import { sendMessage, type OutboundContent, type SendOutcome } from './sender.ts';

/** Who gets an alert: every owner of the tenant, or only the one named. */
export type OwnerAudience = 'all' | { only: string };

export interface OwnerAlert {
  /** Unique per alert; each owner's copy adds the owner's phone. */
  key: string;
  content: OutboundContent;
  /** The conversation the alert belongs to: an owner's reply quoting it is matched to it. */
  conversationId?: string;
}

/** A plain-text alert. */
export const textAlert = (key: string, text: string): OwnerAlert => ({ key, content: { kind: 'text', text } });

export async function alertOwners(
  services: Services,
  tenant: Tenant,
  alert: OwnerAlert,
  { audience }: { audience: OwnerAudience },
): Promise<SendOutcome[]> {
  const owners = audience === 'all' ? tenant.ownerPhones : [audience.only];
  const outcomes: SendOutcome[] = [];
  for (const phone of owners) {
    outcomes.push(
      await sendMessage(services, {
        tenantId: tenant.id,
        phone,
        audience: 'owner',
        idempotencyKey: `${alert.key}:${phone}`,
        content: alert.content,
        conversationId: alert.conversationId,
      }),
    );
  }
  return outcomes;
}

/** Answers the owner's own message, quoting it; one answer per message however often it is redelivered. */
export function replyToOwner(services: Services, tenant: Tenant, item: WhatsAppInboundMessage, text: string): Promise<SendOutcome> {
  return sendMessage(services, {
    tenantId: tenant.id,
    phone: item.from,
    audience: 'owner',
    idempotencyKey: `owner-reply:${item.messageId}`,
    content: { kind: 'text', text },
    replyToMessageId: item.messageId,
  });
}
