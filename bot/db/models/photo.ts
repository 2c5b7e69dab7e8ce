/**
 * A photo the owner sent on WhatsApp for the Google profile (flow F4), from intake to Google.
 * Unique per tenant and WhatsApp media id, so a redelivered webhook finds its photo and uploads
 * nothing again. The bytes are kept from the download until Google has them (the WhatsApp media
 * URL lives minutes, the id days), then dropped.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

export const PHOTO_STATUSES = ['received', 'accepted', 'rejected', 'uploading', 'uploaded', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

const photoSchema = new Schema(
  {
    tenantId: tenantIdField,
    /** WhatsApp's media id: the photo's key. */
    waMediaId: { type: String, required: true },
    waMessageId: { type: String, required: true },
    /** The owner phone that sent it, E.164. */
    from: { type: String, required: true },
    caption: String,
    /** The Google category a caption word named, if any. */
    captionCategory: String,
    status: { type: String, enum: PHOTO_STATUSES, default: 'received' },
    /** Why it was refused (machines/photo-batch.ts `PhotoRejection`). */
    rejection: String,
    mimeType: String,
    sizeBytes: Number,
    width: Number,
    height: Number,
    sha256: String,
    /** The image, from download until upload. */
    data: Buffer,
    /** The batch conversation it joined. */
    batchId: String,
    /** The category it went up in. */
    category: String,
    upload: {
      /** Google's upload reference, once asked for; reused by a retry. */
      resourceName: String,
      bytesSent: { type: Boolean, default: false },
      /** Set before `media.create`: a retry after it first looks for the photo on Google. */
      createStartedAt: Date,
      attempts: { type: Number, default: 0 },
    },
    /** `accounts/…/locations/…/media/…` once on Google. */
    mediaName: String,
    googleUrl: String,
    uploadedAt: Date,
    /** The last upload error, for staff. */
    failure: String,
  },
  { timestamps: true },
);
photoSchema.plugin(tenantScoped);
photoSchema.index({ tenantId: 1, waMediaId: 1 }, { unique: true });
photoSchema.index({ tenantId: 1, createdAt: -1 });

export type Photo = HydratedDocument<InferSchemaType<typeof photoSchema>>;
export const PhotoModel = mongoose.model('Photo', photoSchema);
