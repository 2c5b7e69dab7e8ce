/**
 * A Google local post Findo drafted for a tenant (flow F4): its draft, what the owner decided, and
 * what Google did with it. `key` makes each draft one of a kind: `weekly:<slot>` for the weekly
 * draft, `owner:<message id>` for one the owner asked for.
 */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

/**
 * `awaiting_owner` → `publishing` (approved) → `published` (Google took it, `PROCESSING`) →
 * `live` or `rejected` (Google's moderation); or `skipped`, or `failed` (Google refused it).
 */
export const POST_STATES = ['awaiting_owner', 'publishing', 'published', 'live', 'rejected', 'skipped', 'failed'] as const;
export type PostState = (typeof POST_STATES)[number];

const postSchema = new Schema(
  {
    tenantId: tenantIdField,
    key: { type: String, required: true },
    origin: { type: String, enum: ['weekly', 'owner'], required: true },
    state: { type: String, enum: POST_STATES, default: 'awaiting_owner' },
    draft: { type: String, required: true },
    /** What is published: the draft, or the owner's own text. */
    text: String,
    /** BCP 47 language of the text, as Google's `languageCode`. */
    language: { type: String, required: true },
    /** Google's resource name, accounts/…/locations/…/localPosts/… */
    googleName: String,
    /** Google's last `state`: PROCESSING, LIVE, REJECTED… */
    googleState: String,
    /** When a create on Google was last tried: an attempt after it looks on Google before creating again. */
    publishAttemptedAt: Date,
    publishedAt: Date,
    /** When Google's moderation was last read. */
    checkedAt: Date,
    /** The owner whose answer decided (the first answer wins). */
    decidedBy: String,
    /** Why Google refused it, for staff. */
    error: String,
  },
  { timestamps: true },
);
postSchema.plugin(tenantScoped);
postSchema.index({ tenantId: 1, key: 1 }, { unique: true });
postSchema.index({ tenantId: 1, createdAt: -1 });

export type Post = HydratedDocument<InferSchemaType<typeof postSchema>>;
export const PostModel = mongoose.model('Post', postSchema);
