/**
 * Encrypted secrets of a tenant (Google tokens, its own WhatsApp token, webhook keys), one document
 * per name.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

const secretSchema = new Schema(
  {
    tenantId: tenantIdField,
    name: { type: String, required: true },
    box: { keyId: String, iv: String, tag: String, data: String },
  },
  { timestamps: true },
);
secretSchema.plugin(tenantScoped);
secretSchema.index({ tenantId: 1, name: 1 }, { unique: true });

export type Secret = HydratedDocument<InferSchemaType<typeof secretSchema>>;
export const SecretModel = mongoose.model('Secret', secretSchema);
