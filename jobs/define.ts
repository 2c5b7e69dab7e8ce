/**
 * What every job file declares, in one place: name, payload schema, concurrency, retry policy and
 * handler. `jobs/index.ts` registers them all with Agenda, with one lock lifetime kept alive while
 * a run lasts (bot/agenda.ts), and removes each one-shot job once it succeeded.
 */
import { backoffStrategies, type Agenda, type BackoffStrategy, type Job } from 'agenda';
import type { z } from 'zod';
import type { Services } from '../bot/services.ts';

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  schema: Schema;
  /** Parallel runs of this job per worker process. */
  concurrency: number;
  /** Retry policy for thrown errors; `undefined` means a failure is final. */
  backoff?: BackoffStrategy;
  handler: (data: z.infer<Schema>, services: Services, job: Job<z.infer<Schema>>) => Promise<void>;
}

/**
 * The retry policy of jobs that send a WhatsApp message: Meta's rate limits and outages pass within
 * minutes, so retry from 5 s, doubling to at most 10 min, eight times.
 */
export const SEND_RETRY = backoffStrategies.exponential({ delay: 5_000, maxDelay: 10 * 60_000, maxRetries: 8, jitter: 0.2 });

export const defineJob = <Schema extends z.ZodType>(definition: JobDefinition<Schema>) => definition;

/** Schedules a run of `job` at `when` (default now) with validated data. */
export async function enqueue<Schema extends z.ZodType>(
  agenda: Agenda,
  job: JobDefinition<Schema>,
  data: z.infer<Schema>,
  options: { when?: Date; uniqueBy?: Record<string, unknown> } = {},
): Promise<void> {
  const payload = job.schema.parse(data);
  const run = agenda.create(job.name, payload);
  // `unique` turns save() into an insert-only upsert: one pending run per business object.
  if (options.uniqueBy) run.unique(options.uniqueBy, { insertOnly: true });
  run.schedule(options.when ?? new Date());
  await run.save();
}
