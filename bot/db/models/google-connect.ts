/**
 * One personal "connect Google" link sent to an owner on WhatsApp: the nonce its signed OAuth
 * `state` names (consumed once, atomically), the PKCE verifier kept server-side (encrypted), and,
 * when the grant manages several locations, the numbered choice the owner answers on WhatsApp.
 * Every link expires (`expiresAt`), and so does the choice (`pickUntil`).
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

const locationChoiceSchema = new Schema(
  {
    accountName: { type: String, required: true },
    name: { type: String, required: true },
    title: String,
    placeId: String,
    newReviewUri: String,
  },
  { _id: false },
);

const googleConnectSchema = new Schema(
  {
    tenantId: tenantIdField,
    /** Random, named by the signed state; unique, so a state can be consumed only once. */
    nonce: { type: String, required: true },
    /** The owner phone (E.164) the link was sent to: told how it went. */
    ownerPhone: { type: String, required: true },
    /** The PKCE code verifier, encrypted with the vault. */
    codeVerifier: { keyId: String, iv: String, tag: String, data: String },
    expiresAt: { type: Date, required: true },
    /** Set once, when the callback consumed the state. */
    usedAt: Date,
    /** How the callback ended: `connected`, `awaiting_pick`, or the failure's kind. */
    outcome: String,
    /** The locations offered to the owner by number (several locations only). */
    choices: { type: [locationChoiceSchema], default: undefined },
    /** Until when a number from the owner picks one of `choices`. */
    pickUntil: Date,
  },
  { timestamps: true },
);
googleConnectSchema.plugin(tenantScoped);
googleConnectSchema.index({ tenantId: 1, nonce: 1 }, { unique: true });
googleConnectSchema.index({ tenantId: 1, ownerPhone: 1, pickUntil: -1 });

export type GoogleConnect = HydratedDocument<InferSchemaType<typeof googleConnectSchema>>;
export const GoogleConnectModel = mongoose.model('GoogleConnect', googleConnectSchema);
