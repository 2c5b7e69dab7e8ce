/**
 * The catalog of Agenda jobs: for each job name, its payload schema, concurrency per worker, retry
 * policy (jobs/retry.ts) and uniqueness. Code that queues work names a job here and calls
 * `services.enqueue` (jobs/queue.ts); the handlers that do the work live in the job files, which
 * call the flows. This module imports nothing from `bot/`, so queuing never imports a handler.
 */
import { z } from 'zod';
import type { RetryPolicy } from './retry.ts';

/**
 * Jobs that send a WhatsApp message: Meta's rate limits and outages pass within minutes, so retry
 * from 5 s, doubling to at most 10 min, eight times.
 */
const SEND_RETRY: RetryPolicy = { delayMs: 5_000, maxDelayMs: 10 * 60_000, maxRetries: 8 };

/** Options of the review check read when its jobs run; tests shorten them. */
export const reviewCheckOptions: { dispatchEvery: string | number; retry: RetryPolicy } = {
  /** How often due tenants are looked for. Default every minute. */
  dispatchEvery: '1 minute',
  /** Retries of a failed check: 30 s doubling up to 30 min, 8 times (then the next hourly run). */
  retry: { delayMs: 30_000, maxDelayMs: 30 * 60_000, maxRetries: 8 },
};

/** Options of the photo upload read when its jobs fail; tests shorten them. */
export const uploadPhotoOptions: { retry: RetryPolicy } = {
  /** Quota and 5xx: 10 s doubling up to 30 min, 10 times; then the photo is reported as refused. */
  retry: { delayMs: 10_000, maxDelayMs: 30 * 60_000, maxRetries: 10 },
};

/** Options of the weekly post jobs, read when they run; tests shorten them. */
export const postOptions: { dispatchEvery: string | number; checkAfterMs: number; checkEveryMs: number; checkForMs: number } = {
  /** How often tenants whose weekly post draft is due are looked for. */
  dispatchEvery: '5 minutes',
  /** The first look at a published post's moderation. */
  checkAfterMs: 30 * 60_000,
  /** Then again this often while Google still says PROCESSING… */
  checkEveryMs: 2 * 3_600_000,
  /** …for at most this long after publishing. */
  checkForMs: 3 * 24 * 3_600_000,
};

const anyData = z.object({}).passthrough();

export interface JobSpec<Schema extends z.ZodType = z.ZodType> {
  schema: Schema;
  /** Parallel runs of this job per worker process. */
  concurrency: number;
  /** Without one a failed run is final (the periodic jobs: their next run comes anyway). */
  retry?: RetryPolicy;
  /**
   * The job-data fields that make a pending run one of a kind: queuing again while a matching run
   * exists adds nothing. Without it every enqueue adds a run.
   */
  uniqueBy?(data: z.infer<Schema>): Record<string, unknown>;
}

const spec = <Schema extends z.ZodType>(definition: JobSpec<Schema>) => definition;

export const JOBS = {
  'send-message': spec({
    schema: z.object({ tenantId: z.string(), messageRef: z.string(), sendAfter: z.string() }),
    concurrency: 10,
    retry: SEND_RETRY,
    // One run per message and time: deferring again (from inside this job's own run) makes a new
    // run rather than rescheduling the running one, whose completion would clear the new time.
    uniqueBy: (data) => ({ 'data.messageRef': data.messageRef, 'data.sendAfter': data.sendAfter }),
  }),
  'missed-call-followup': spec({
    schema: z.object({ tenantId: z.string(), phone: z.string(), eventRef: z.string() }),
    concurrency: 5,
    retry: SEND_RETRY,
    // Pending runs only: once a follow-up ran, a later call schedules a new one (which then
    // applies the 12-hour rule).
    uniqueBy: (data) => ({ 'data.tenantId': data.tenantId, 'data.phone': data.phone, nextRunAt: { $ne: null } }),
  }),
  'lead-silence-check': spec({
    schema: z.object({ tenantId: z.string(), conversationRef: z.string(), seq: z.number().int() }),
    concurrency: 5,
    retry: { delayMs: 5_000, maxDelayMs: 10 * 60_000, maxRetries: 5 },
    uniqueBy: (data) => ({ 'data.conversationRef': data.conversationRef, 'data.seq': data.seq }),
  }),
  'review-request': spec({
    schema: z.object({ tenantId: z.string(), requestRef: z.string(), step: z.enum(['request', 'reminder']) }),
    concurrency: 5,
    retry: SEND_RETRY,
    uniqueBy: (data) => ({ 'data.requestRef': data.requestRef, 'data.step': data.step }),
  }),
  'review-check-due': spec({ schema: anyData, concurrency: 1 }),
  'review-check': spec({
    schema: z.object({ tenantId: z.string() }),
    concurrency: 5,
    // Read at each failure: tests shorten it after this module loaded.
    get retry() {
      return reviewCheckOptions.retry;
    },
    uniqueBy: (data) => ({ 'data.tenantId': data.tenantId, nextRunAt: { $ne: null } }),
  }),
  'post-review-reply': spec({
    schema: z.object({ tenantId: z.string(), reviewRef: z.string() }),
    concurrency: 5,
    retry: { delayMs: 10_000, maxDelayMs: 30 * 60_000, maxRetries: 10 },
    uniqueBy: (data) => ({ 'data.reviewRef': data.reviewRef, nextRunAt: { $ne: null } }),
  }),
  'approval-reminder': spec({
    schema: z.object({ tenantId: z.string(), conversationRef: z.string() }),
    concurrency: 5,
    retry: SEND_RETRY,
    uniqueBy: (data) => ({ 'data.conversationRef': data.conversationRef }),
  }),
  'owner-welcome': spec({
    schema: z.object({ tenantId: z.string() }),
    concurrency: 2,
    retry: SEND_RETRY,
    // Each phone is welcomed once ever (bot/flows/welcome.ts); one pending run per tenant is enough.
    uniqueBy: (data) => ({ 'data.tenantId': data.tenantId, nextRunAt: { $ne: null } }),
  }),
  'post-draft-due': spec({ schema: anyData, concurrency: 1 }),
  'post-draft': spec({
    // `key` names the draft (`weekly:<slot>`, `owner:<message id>`); the post record is unique by it.
    schema: z.object({ tenantId: z.string(), key: z.string(), origin: z.enum(['weekly', 'owner']) }),
    concurrency: 2,
    retry: SEND_RETRY,
    uniqueBy: (data) => ({ 'data.tenantId': data.tenantId, 'data.key': data.key }),
  }),
  'publish-post': spec({
    schema: z.object({ tenantId: z.string(), postRef: z.string() }),
    concurrency: 5,
    retry: { delayMs: 10_000, maxDelayMs: 30 * 60_000, maxRetries: 10 },
    uniqueBy: (data) => ({ 'data.postRef': data.postRef, nextRunAt: { $ne: null } }),
  }),
  'check-post': spec({
    // `round` counts the looks: a look that finds the post still PROCESSING queues the next round.
    schema: z.object({ tenantId: z.string(), postRef: z.string(), round: z.number().int().min(1) }),
    concurrency: 5,
    retry: { delayMs: 60_000, maxDelayMs: 60 * 60_000, maxRetries: 8 },
    uniqueBy: (data) => ({ 'data.postRef': data.postRef, 'data.round': data.round }),
  }),
  'weekly-digest': spec({ schema: anyData, concurrency: 1, retry: { delayMs: 60_000, maxDelayMs: 30 * 60_000, maxRetries: 5 } }),
  'sweep-stale-events': spec({ schema: anyData, concurrency: 1 }),
  'photo-batch-timer': spec({
    schema: z.object({
      tenantId: z.string(),
      conversationRef: z.string(),
      timer: z.enum(['window', 'category']),
      photoCount: z.number().int().min(0),
    }),
    concurrency: 5,
    retry: SEND_RETRY,
    uniqueBy: (data) => ({ 'data.conversationRef': data.conversationRef, 'data.timer': data.timer, 'data.photoCount': data.photoCount }),
  }),
  'upload-photo': spec({
    schema: z.object({ tenantId: z.string(), photoRef: z.string() }),
    concurrency: 3,
    get retry() {
      return uploadPhotoOptions.retry;
    },
    uniqueBy: (data) => ({ 'data.photoRef': data.photoRef, nextRunAt: { $ne: null } }),
  }),
  'photo-request': spec({ schema: anyData, concurrency: 1 }),
};

export type JobName = keyof typeof JOBS;
export type JobData<Name extends JobName> = z.infer<(typeof JOBS)[Name]['schema']>;

/**
 * The inbox's retry of a webhook event whose processing failed (bot/inbox/): the same policy,
 * from 2 s up to 5 min, six times.
 */
export const EVENT_RETRY: RetryPolicy = { delayMs: 2_000, maxDelayMs: 5 * 60_000, maxRetries: 6 };
