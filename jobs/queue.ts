/**
 * Queuing work by job name (jobs/catalog.ts): the payload is validated against the job's schema,
 * and a job with a uniqueness key gets one pending run per key. Bound to an Agenda in the service
 * bag (`services.enqueue`, `services.cancelJobs`), so flows queue work without importing handlers.
 */
import type { Agenda } from 'agenda';
import { SYSTEM_SCOPE, withLock } from '../bot/locks.ts';
import { JOBS, type JobData, type JobName, type JobSpec } from './catalog.ts';

export interface JobQueue {
  /** Schedules a run of job `name` at `at` (default now); a pending run with its uniqueness key absorbs it. */
  enqueue<Name extends JobName>(name: Name, data: JobData<Name>, options?: { at?: Date }): Promise<void>;
  /** Removes the pending runs of job `name` whose data have these field values. */
  cancelJobs<Name extends JobName>(name: Name, data: Partial<JobData<Name>>): Promise<void>;
}

export function jobQueue(agenda: Agenda): JobQueue {
  return {
    async enqueue(name, data, options = {}) {
      const spec: JobSpec = JOBS[name];
      const payload = spec.schema.parse(data);
      const run = agenda.create(name, payload);
      run.schedule(options.at ?? new Date());
      if (!spec.uniqueBy) return void (await run.save());
      // `unique` turns save() into an insert-only upsert: one pending run per business object.
      // FerretDB does not make that find-or-insert atomic (concurrent calls from one caller queued
      // three follow-ups), so the enqueues of one key take turns under a lock, whose unique key
      // the database enforces.
      const unique = spec.uniqueBy(payload);
      run.unique({ name, ...unique }, { insertOnly: true });
      await withLock(SYSTEM_SCOPE, `enqueue:${name}:${JSON.stringify(unique)}`, () => run.save());
    },
    async cancelJobs(name, data) {
      await agenda.cancel({ name, data });
    },
  };
}
