/** The activity feed: short lines that tell staff what happened, newest last. */
import { ActivityModel } from './db/models/index.ts';

export type ActivityType =
  | 'event.accepted'
  | 'event.quarantined'
  | 'event.failed'
  | 'message.sent'
  | 'message.deferred'
  | 'message.skipped'
  | 'message.failed'
  | 'message.received'
  | 'message.unconfirmed'
  | 'message.resent'
  | 'lead.created'
  | 'lead.updated'
  | 'conversation.started'
  | 'conversation.closed'
  | 'review.received'
  | 'review.replied'
  | 'review.draft'
  | 'post.draft'
  | 'post.skipped'
  | 'post.published'
  | 'post.moderated'
  | 'review_request.scheduled'
  | 'review_request.sent'
  | 'review_request.skipped'
  | 'tenant.changed'
  | 'google.connected'
  | 'google.revoked'
  | 'whatsapp.error'
  | 'photo.rejected'
  | 'photo.uploaded'
  | 'photo.failed';

export async function recordActivity(tenantId: string, type: ActivityType, text: string, ref?: string): Promise<void> {
  await ActivityModel.create({ tenantId, type, text, ref, at: new Date() });
}
