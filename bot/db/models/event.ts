/**
 * A raw webhook, stored before anything else happens to it, with its processing state. The unique
 * key (provider, tenantId, eventId) makes every duplicate delivery a no-op.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

export const EVENT_STATUSES = ['accepted', 'processed', 'failed', 'quarantined'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** tenantId of WhatsApp events whose phone_number_id matches no tenant (kept for staff). */
export const UNROUTED_TENANT = '-';

const eventSchema = new Schema(
  {
    tenantId: tenantIdField,
    provider: { type: String, enum: ['whatsapp', 'voicenter', 'greeninvoice', 'icount'], required: true },
    eventId: { type: String, required: true },
    status: { type: String, enum: EVENT_STATUSES, required: true },
    /** The Content-Type the body came with: how `raw` is read again. */
    contentType: String,
    /**
     * The body's bytes exactly as they came. Untrusted, so never stored as document structure: a
     * key with `$`, `.` or NUL, or a number the database cannot hold, would fail the insert.
     */
    raw: Buffer,
    /** Only what Findo normalised and validated: a WhatsApp item, or a provider's normalised event. */
    body: Schema.Types.Mixed,
    reason: String,
    attempts: { type: Number, default: 0 },
    /** How many times staff replayed it; each replay is a new processing generation. */
    replays: { type: Number, default: 0 },
    lastError: String,
    receivedAt: { type: Date, required: true },
    processedAt: Date,
  },
  { timestamps: true, minimize: false },
);
eventSchema.plugin(tenantScoped);
eventSchema.index({ provider: 1, tenantId: 1, eventId: 1 }, { unique: true });
eventSchema.index({ status: 1, receivedAt: -1 });

export type StoredEvent = HydratedDocument<InferSchemaType<typeof eventSchema>>;
export const EventModel = mongoose.model('Event', eventSchema);
