/**
 * The marker that an owner phone got its welcome: one per phone, ever, across businesses. Not
 * tenant-scoped on purpose (the phone is the key); `tenantId` names the business whose number sent
 * it, so a retried send of that same welcome goes on while any other business's skips.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';

const ownerWelcomeSchema = new Schema({
  /** E.164. */
  phone: { type: String, required: true, unique: true },
  tenantId: { type: String, required: true },
  at: { type: Date, required: true, default: () => new Date() },
});

export type OwnerWelcome = HydratedDocument<InferSchemaType<typeof ownerWelcomeSchema>>;
export const OwnerWelcomeModel = mongoose.model('OwnerWelcome', ownerWelcomeSchema);
