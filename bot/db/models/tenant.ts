/**
 * A tenant is one business (spec §5). It is the root of every tenant-owned document, so it is not
 * itself tenant-scoped. Webhook keys are stored only as SHA-256 digests (for lookup); the keys
 * themselves are shown once, at creation or rotation, and kept encrypted in the secrets vault.
 */
import { createHash } from 'node:crypto';
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { WEEKDAYS } from '../../../lib/clock.ts';

export const LANGUAGES = ['he', 'en', 'ar'] as const;
export const WEBHOOK_PROVIDERS = ['voicenter', 'greeninvoice', 'icount'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];
/** A weekday for a weekly owner task (photo request, post draft), or `off` for never. */
export const WEEKDAY_SETTINGS = [...WEEKDAYS, 'off'] as const;
export type WeekdaySetting = (typeof WEEKDAY_SETTINGS)[number];

/** Tenant settings with their defaults (durations in milliseconds). */
export const DEFAULT_SETTINGS = {
  leadFollowupDelay: 2 * 60_000,
  /** Silence before the lead conversation's one nudge, and again before it closes. */
  leadNudgeDelay: 3 * 3_600_000,
  reviewRequestDelay: 24 * 3_600_000,
  reviewReminderDelay: 3 * 24 * 3_600_000,
  reviewRequestCooldown: 90 * 24 * 3_600_000,
  /** A document issued longer ago than this is recorded, never requested (webhooks replay old documents). */
  reviewRequestMaxAge: 14 * 24 * 3_600_000,
  autoReplyMinStars: 4,
  quietHours: '21:00-08:00',
  observeShabbat: true,
  ownerAlertsAnytime: false,
  paused: false,
  /** Images an owner sends within this long of the previous one go to Google as one batch (one question, one confirmation). */
  photoBatchWindow: 90_000,
  /** The day the owner is asked for fresh photos. */
  photoRequestDay: 'tue' as WeekdaySetting,
  /** The day an AI-drafted Google post goes to the owner for approval. */
  postDay: 'thu' as WeekdaySetting,
};

const settingsSchema = new Schema(
  {
    leadFollowupDelay: { type: Number, default: DEFAULT_SETTINGS.leadFollowupDelay },
    leadNudgeDelay: { type: Number, default: DEFAULT_SETTINGS.leadNudgeDelay },
    reviewRequestDelay: { type: Number, default: DEFAULT_SETTINGS.reviewRequestDelay },
    reviewReminderDelay: { type: Number, default: DEFAULT_SETTINGS.reviewReminderDelay },
    reviewRequestCooldown: { type: Number, default: DEFAULT_SETTINGS.reviewRequestCooldown },
    reviewRequestMaxAge: { type: Number, default: DEFAULT_SETTINGS.reviewRequestMaxAge },
    autoReplyMinStars: { type: Number, default: DEFAULT_SETTINGS.autoReplyMinStars, min: 1, max: 6 },
    /** `HH:MM-HH:MM` in the tenant's time zone, or `off`. */
    quietHours: { type: String, default: DEFAULT_SETTINGS.quietHours },
    observeShabbat: { type: Boolean, default: DEFAULT_SETTINGS.observeShabbat },
    ownerAlertsAnytime: { type: Boolean, default: DEFAULT_SETTINGS.ownerAlertsAnytime },
    paused: { type: Boolean, default: DEFAULT_SETTINGS.paused },
    photoBatchWindow: { type: Number, default: DEFAULT_SETTINGS.photoBatchWindow },
    photoRequestDay: { type: String, enum: WEEKDAY_SETTINGS, default: DEFAULT_SETTINGS.photoRequestDay },
    postDay: { type: String, enum: WEEKDAY_SETTINGS, default: DEFAULT_SETTINGS.postDay },
  },
  { _id: false },
);

const tenantSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    slug: { type: String, required: true, unique: true },
    language: { type: String, enum: LANGUAGES, default: 'he' },
    timezone: { type: String, default: 'Asia/Jerusalem' },
    /** E.164; messages from these numbers are owner commands. */
    ownerPhones: { type: [String], default: [] },
    whatsappNumberId: { type: String },
    google: {
      accountName: String,
      locationName: String,
      /** Next hourly review check; spread across the hour by a stable per-tenant offset. */
      nextCheckAt: Date,
      lastNewReviewAt: Date,
      connected: { type: Boolean, default: false },
    },
    reviewLink: String,
    /** The weekly photo-request slot last served (bot/flows/photos/request.ts). */
    photoRequestSlot: Date,
    webhookKeyDigests: {
      voicenter: { type: String, required: true },
      greeninvoice: { type: String, required: true },
      icount: { type: String, required: true },
    },
    settings: { type: settingsSchema, default: () => ({}), required: true },
    disabled: { type: Boolean, default: false },
  },
  { timestamps: true },
);
tenantSchema.index({ whatsappNumberId: 1 }, { unique: true, sparse: true });
tenantSchema.index({ 'webhookKeyDigests.voicenter': 1 });
tenantSchema.index({ 'webhookKeyDigests.greeninvoice': 1 });
tenantSchema.index({ 'webhookKeyDigests.icount': 1 });

export type TenantData = InferSchemaType<typeof tenantSchema>;
export type Tenant = HydratedDocument<TenantData>;
export type TenantSettings = InferSchemaType<typeof settingsSchema>;
export type Language = (typeof LANGUAGES)[number];

export const TenantModel = mongoose.model('Tenant', tenantSchema);

/** The digest under which a webhook key is looked up. */
export const webhookKeyDigest = (key: string): string => createHash('sha256').update(key).digest('hex');
