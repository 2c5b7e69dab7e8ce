/** Our mirror of a Google review and the state of our reply to it. */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

export const REPLY_STATES = ['none', 'posting', 'awaiting_owner', 'posted', 'skipped', 'failed'] as const;

const reviewSchema = new Schema(
  {
    tenantId: tenantIdField,
    googleReviewId: { type: String, required: true },
    /** Google's resource name, accounts/…/locations/…/reviews/… */
    name: { type: String, required: true },
    reviewerName: String,
    stars: { type: Number, min: 1, max: 5 },
    comment: String,
    language: String,
    createTime: Date,
    updateTime: Date,
    reply: {
      state: { type: String, enum: REPLY_STATES, default: 'none' },
      text: String,
      draft: String,
      auto: Boolean,
      postedAt: Date,
      moderationState: String,
      /** The owner whose answer decided an owner-approved reply (the first answer wins). */
      decidedBy: String,
    },
  },
  { timestamps: true },
);
reviewSchema.plugin(tenantScoped);
reviewSchema.index({ tenantId: 1, googleReviewId: 1 }, { unique: true });
reviewSchema.index({ tenantId: 1, createTime: -1 });

export type Review = HydratedDocument<InferSchemaType<typeof reviewSchema>>;
export const ReviewModel = mongoose.model('Review', reviewSchema);
