/**
 * Encrypted secrets of a tenant (Google tokens, its own WhatsApp token, webhook keys), one document
 * per name. `lock` serialises refreshes across workers; it always carries an expiry.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

const secretSchema = new Schema(
  {
    tenantId: tenantIdField,
    name: { type: String, required: true },
    box: { keyId: String, iv: String, tag: String, data: String },
    lock: { owner: String, until: Date },
  },
  { timestamps: true },
);
secretSchema.plugin(tenantScoped);
secretSchema.index({ tenantId: 1, name: 1 }, { unique: true });

export type Secret = HydratedDocument<InferSchemaType<typeof secretSchema>>;
export const SecretModel = mongoose.model('Secret', secretSchema);
