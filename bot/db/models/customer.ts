/** A customer of one tenant, by phone: name, consent and the 24-hour window's clock. */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

const customerSchema = new Schema(
  {
    tenantId: tenantIdField,
    phone: { type: String, required: true },
    name: String,
    optedOut: { type: Boolean, default: false },
    optedOutAt: Date,
    /** The customer's last inbound message: free-form text is allowed for 24 hours after it. */
    lastInboundAt: Date,
    /** Last missed-call follow-up taken (set before it is sent), for the 12-hour rule. */
    lastFollowupAt: Date,
    /** The call that follow-up answers: its own retries are not blocked by the rule. */
    lastFollowupEvent: String,
    /** Last review request sent, for the cooldown. */
    lastReviewRequestAt: Date,
  },
  { timestamps: true },
);
customerSchema.plugin(tenantScoped);
customerSchema.index({ tenantId: 1, phone: 1 }, { unique: true });

export type Customer = HydratedDocument<InferSchemaType<typeof customerSchema>>;
export const CustomerModel = mongoose.model('Customer', customerSchema);
