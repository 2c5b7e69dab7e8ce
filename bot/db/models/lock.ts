/**
 * Short-lived locks (one conversation's messages one at a time; one token refresh at a time).
 * Taken by inserting under a unique key — the one write every MongoDB-compatible server makes
 * atomic — and always carrying an expiry, so a crashed holder never blocks anyone for long.
 */
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

const lockSchema = new Schema({
  tenantId: tenantIdField,
  key: { type: String, required: true },
  owner: { type: String, required: true },
  until: { type: Date, required: true },
});
lockSchema.plugin(tenantScoped);
lockSchema.index({ tenantId: 1, key: 1 }, { unique: true });

export type LockData = InferSchemaType<typeof lockSchema>;
export const LockModel = mongoose.model('Lock', lockSchema);
