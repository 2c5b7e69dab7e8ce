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
    contentType: String,
    body: { type: Schema.Types.Mixed, required: true },
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
