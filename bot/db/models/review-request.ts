/** A review request born from an invoice: one per document, at most one reminder. */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

export const REVIEW_REQUEST_STATUSES = ['scheduled', 'sent', 'reminded', 'reviewed', 'skipped'] as const;

const reviewRequestSchema = new Schema(
  {
    tenantId: tenantIdField,
    provider: { type: String, enum: ['greeninvoice', 'icount'], required: true },
    documentId: { type: String, required: true },
    phone: { type: String, required: true },
    customerName: String,
    status: { type: String, enum: REVIEW_REQUEST_STATUSES, default: 'scheduled' },
    skipReason: String,
    dueAt: Date,
    sentAt: Date,
    remindedAt: Date,
    reviewId: String,
  },
  { timestamps: true },
);
reviewRequestSchema.plugin(tenantScoped);
reviewRequestSchema.index({ tenantId: 1, provider: 1, documentId: 1 }, { unique: true });
reviewRequestSchema.index({ tenantId: 1, phone: 1, createdAt: -1 });

export type ReviewRequest = HydratedDocument<InferSchemaType<typeof reviewRequestSchema>>;
export const ReviewRequestModel = mongoose.model('ReviewRequest', reviewRequestSchema);
