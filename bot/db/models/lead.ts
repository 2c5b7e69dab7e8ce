/** A lead captured from a conversation: what the owner calls back about. */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

export const LEAD_STATUSES = ['new', 'partial', 'handoff', 'calling_back', 'done'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

const leadSchema = new Schema(
  {
    tenantId: tenantIdField,
    phone: { type: String, required: true },
    name: String,
    need: String,
    preferredTime: String,
    summary: String,
    source: { type: String, enum: ['missed_call', 'inbound'], required: true },
    status: { type: String, enum: LEAD_STATUSES, default: 'new' },
    conversationId: { type: String, required: true },
  },
  { timestamps: true },
);
leadSchema.plugin(tenantScoped);
// One lead per conversation: a re-run of the completion never creates a second.
leadSchema.index({ tenantId: 1, conversationId: 1 }, { unique: true });
leadSchema.index({ tenantId: 1, createdAt: -1 });

export type Lead = HydratedDocument<InferSchemaType<typeof leadSchema>>;
export const LeadModel = mongoose.model('Lead', leadSchema);
