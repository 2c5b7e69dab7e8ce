/**
 * A persisted conversation: the XState snapshot of one machine (lead capture, review approval)
 * with its version, plus the outbox of effects the last transition asked for. A short lock with an
 * expiry serialises the messages of one conversation across processes.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

export const CONVERSATION_KINDS = ['lead_capture', 'review_approval', 'post_approval', 'owner_settings', 'photo_batch'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

const conversationSchema = new Schema(
  {
    tenantId: tenantIdField,
    kind: { type: String, enum: CONVERSATION_KINDS, required: true },
    /** The customer (lead capture) or owner (approvals) phone, E.164. */
    phone: { type: String, required: true },
    /** What the conversation is about: the review or post id for an approval. */
    subjectId: String,
    status: { type: String, enum: ['open', 'closed'], default: 'open' },
    machineVersion: { type: Number, required: true },
    snapshot: { type: Schema.Types.Mixed, required: true },
    /** State value of the snapshot, kept beside it for listing. */
    state: String,
    /** Incremented by every transition; part of every effect's idempotency key. */
    seq: { type: Number, default: 0 },
    outbox: { type: [Schema.Types.Mixed], default: [] },
    /** Keys of the last events applied, so a redelivered event is not applied twice. */
    lastEventKeys: { type: [String], default: [] },
    /** For approvals: the short number the owner uses to pick this draft. */
    number: Number,
    closedAt: Date,
    /** Why it closed other than by its machine, e.g. `undelivered: landline`. */
    closedReason: String,
  },
  { timestamps: true, minimize: false },
);
conversationSchema.plugin(tenantScoped);
conversationSchema.index({ tenantId: 1, phone: 1, kind: 1, status: 1 });
conversationSchema.index({ tenantId: 1, updatedAt: -1 });

export type Conversation = HydratedDocument<InferSchemaType<typeof conversationSchema>>;
export const ConversationModel = mongoose.model('Conversation', conversationSchema);
