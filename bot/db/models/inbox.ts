/**
 * The inbox: one small document per stored webhook event that still has to be processed, under the
 * event's own `_id`. It is the claimable face of the event (the event keeps the history: body,
 * status, attempts, errors); processing deletes it, so the collection holds pending work only and
 * a claim never reads history. FerretDB on SQLite pushes down nothing but `_id`, so every claim
 * reads this collection whole: that stays cheap because it stays small.
 *
 * Not tenant-scoped: workers claim across tenants, and an item carries nothing but references.
 */
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const inboxSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    tenantId: { type: String, required: true },
    /** The event's processing generation (its replay count): one processing per generation. */
    generation: { type: Number, required: true },
    /** Lower first: 0 for a customer's WhatsApp message (someone waits for the reply), 1 for the rest. */
    priority: { type: Number, default: 1 },
    /** Not before this time (a retry's backoff). */
    dueAt: { type: Date, required: true },
    /** The worker identity holding the item, and until when; null when free. */
    owner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    /** Failed runs of this generation so far. */
    failures: { type: Number, default: 0 },
  },
  { versionKey: false, collection: 'inbox' },
);
// For a real MongoDB: the claim's candidates (free or expired, due) and one worker's own items.
inboxSchema.index({ priority: 1, dueAt: 1 });
inboxSchema.index({ owner: 1 });

export type InboxItem = InferSchemaType<typeof inboxSchema>;
export const InboxModel = mongoose.model('Inbox', inboxSchema);
