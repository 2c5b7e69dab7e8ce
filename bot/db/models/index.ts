export * from './tenant.ts';
export * from './customer.ts';
export * from './conversation.ts';
export * from './message.ts';
export * from './lead.ts';
export * from './review-request.ts';
export * from './review.ts';
export * from './event.ts';
export * from './activity.ts';
export * from './secret.ts';
export * from './lock.ts';
export * from './inbox.ts';
export * from './google-connect.ts';
export * from './owner-welcome.ts';
export * from './photo.ts';
export * from './post.ts';

import { ActivityModel } from './activity.ts';
import { ConversationModel } from './conversation.ts';
import { CustomerModel } from './customer.ts';
import { EventModel } from './event.ts';
import { LeadModel } from './lead.ts';
import { MessageModel } from './message.ts';
import { ReviewRequestModel } from './review-request.ts';
import { ReviewModel } from './review.ts';
import { SecretModel } from './secret.ts';
import { LockModel } from './lock.ts';
import { InboxModel } from './inbox.ts';
import { GoogleConnectModel } from './google-connect.ts';
import { OwnerWelcomeModel } from './owner-welcome.ts';
import { PhotoModel } from './photo.ts';
import { PostModel } from './post.ts';
import { TenantModel } from './tenant.ts';

export const ALL_MODELS = [
  TenantModel,
  CustomerModel,
  ConversationModel,
  MessageModel,
  LeadModel,
  ReviewRequestModel,
  ReviewModel,
  EventModel,
  ActivityModel,
  SecretModel,
  LockModel,
  InboxModel,
  GoogleConnectModel,
  OwnerWelcomeModel,
  PhotoModel,
  PostModel,
];

/** Whether a write failed on a unique key: the document is already there (the basis of every dedupe). */
export const isDuplicateKey = (error: unknown): boolean => (error as { code?: number } | null)?.code === 11000;

/** Builds every index (unique keys are what make webhooks and sends idempotent). */
export async function ensureIndexes(): Promise<void> {
  await Promise.all(ALL_MODELS.map((model) => model.init()));
}
