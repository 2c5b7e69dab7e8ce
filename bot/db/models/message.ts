/**
 * Every WhatsApp message in or out, with WhatsApp's ids and delivery status. Outbound messages are
 * created before sending under an idempotency key, so a retried job never sends twice.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

/**
 * `sending`: an attempt is talking to WhatsApp. `unconfirmed`: the attempt failed in a way that
 * WhatsApp may have accepted the message all the same; its status webhook decides, or, when none
 * comes in time, it is sent again.
 */
export const OUTBOUND_STATUSES = [
  'pending',
  'deferred',
  'sending',
  'unconfirmed',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
] as const;

const messageSchema = new Schema(
  {
    tenantId: tenantIdField,
    direction: { type: String, enum: ['in', 'out'], required: true },
    /** The other party: customer or owner, E.164. */
    phone: { type: String, required: true },
    audience: { type: String, enum: ['customer', 'owner'], default: 'customer' },
    /**
     * Unique per tenant, always set: `in:<wamid>` for inbound messages (dedupes WhatsApp's repeated
     * deliveries), the intended message's idempotency key for outbound ones.
     */
    key: { type: String, required: true },
    waMessageId: String,
    conversationId: String,
    kind: { type: String, enum: ['text', 'buttons', 'template', 'media', 'other'], default: 'text' },
    text: String,
    template: { name: String, language: String, params: [String] },
    buttons: [{ _id: false, id: String, title: String }],
    replyId: String,
    contextMessageId: String,
    media: { id: String, mimeType: String },
    status: { type: String, enum: [...OUTBOUND_STATUSES, 'received'], required: true },
    statusAt: Date,
    sendAfter: Date,
    /** Why a message was skipped or failed: the policy rule or the provider's error. */
    reason: String,
    error: { kind: String, code: Schema.Types.Mixed, message: String },
    attempts: { type: Number, default: 0 },
    /** The attempt that claimed it (`sending`): lets that attempt's process recognise its own claim. */
    claim: String,
    /** How an unknown outcome was settled: `confirmed` by a status webhook, or `resent` after none came. */
    outcome: { decision: { type: String, enum: ['confirmed', 'resent'] }, decidedAt: Date },
  },
  { timestamps: true },
);
messageSchema.plugin(tenantScoped);
// Always-present fields only: partial indexes are not available on every MongoDB-compatible server.
messageSchema.index({ tenantId: 1, key: 1 }, { unique: true });
messageSchema.index({ tenantId: 1, waMessageId: 1 });
messageSchema.index({ tenantId: 1, phone: 1, createdAt: -1 });

export type Message = HydratedDocument<InferSchemaType<typeof messageSchema>>;
export const MessageModel = mongoose.model('Message', messageSchema);
