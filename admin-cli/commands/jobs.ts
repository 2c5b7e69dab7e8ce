/**
 * `findo jobs …`: Agenda's queue as stored in its `agendaJobs` collection, read straight through
 * the mongoose connection (no Agenda instance is needed to look), and a retry for a job that
 * failed or got stuck.
 */
import { Command } from 'commander';
import mongoose from 'mongoose';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { AGENDA_COLLECTION, JOB_LOCK_LIFETIME } from '../../bot/agenda.ts';
import { printDetails, printJson, printTable, UsageError, withDatabase } from '../runtime.ts';
import { DEFAULT_LIMIT, NotFoundError, orNull, parseLimit, parseObjectId } from '../listing.ts';

/** A due job nobody has picked up for this long is overdue (no worker running, or all busy). */
const OVERDUE_AFTER = 60_000;

/**
 * Where a job stands:
 * - `running`: locked by a worker within its lock lifetime;
 * - `stuck`: locked for longer than its lock lifetime (the worker died or hangs);
 * - `retrying`: failed, with a retry scheduled; `failed`: failed with no run scheduled;
 * - `overdue`: due for over a minute and not picked up; `scheduled`: waiting for its time;
 * - `done`: ran and has nothing scheduled; `disabled`.
 */
export type JobState = 'running' | 'stuck' | 'retrying' | 'failed' | 'overdue' | 'scheduled' | 'done' | 'disabled';

/** The states `findo jobs retry` acts on; the others would run a healthy job early or twice. */
const RETRYABLE: readonly JobState[] = ['stuck', 'retrying', 'failed', 'overdue'];

const asDate = (value: unknown): Date | null => (value instanceof Date ? value : null);

export function jobState(job: Document, now = Date.now()): JobState {
  if (job.disabled === true) return 'disabled';
  const lockedAt = asDate(job.lockedAt);
  if (lockedAt) return now - lockedAt.getTime() > JOB_LOCK_LIFETIME ? 'stuck' : 'running';
  const nextRunAt = asDate(job.nextRunAt);
  if (Number(job.failCount ?? 0) > 0) return nextRunAt ? 'retrying' : 'failed';
  if (nextRunAt) return now - nextRunAt.getTime() > OVERDUE_AFTER ? 'overdue' : 'scheduled';
  return 'done';
}

/** The stable JSON form of an Agenda job. */
export function jobView(job: Document, now = Date.now()) {
  return {
    id: String(job._id),
    name: String(job.name),
    state: jobState(job, now),
    data: (job.data ?? null) as unknown,
    nextRunAt: asDate(job.nextRunAt),
    lastRunAt: asDate(job.lastRunAt),
    lastFinishedAt: asDate(job.lastFinishedAt),
    lockedAt: asDate(job.lockedAt),
    failCount: Number(job.failCount ?? 0),
    failReason: orNull(job.failReason as string | undefined),
    failedAt: asDate(job.failedAt),
    repeatInterval: orNull(job.repeatInterval as string | number | undefined),
  };
}

function jobsCollection(): Collection {
  const db = mongoose.connection.db;
  if (!db) throw new Error('the database is not connected');
  return db.collection(AGENDA_COLLECTION);
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

export function makeJobsCommand(): Command {
  const jobs = new Command('jobs').description("Agenda's job queue: inspect, and retry failed or stuck jobs");

  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--name <name>', 'only jobs with this name (e.g. process-event)')
    .option('--failed', 'only jobs whose last run failed (failCount > 0)')
    .option('--limit <n>', `at most this many (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  findo jobs list --failed\n  findo jobs list --name send-message --json')
    .action(async (o: { name?: string; failed?: boolean; limit?: number; json?: boolean }) => {
      if (o.name !== undefined && !/^[\w.:-]{1,100}$/.test(o.name)) throw new UsageError(`"${o.name}" is not a job name`);
      await withDatabase(async () => {
        const filter: Document = {
          ...(o.name ? { name: o.name } : {}),
          ...(o.failed ? { failCount: { $gt: 0 } } : {}),
        };
        const found = await jobsCollection()
          .find(filter)
          .sort({ _id: -1 })
          .limit(o.limit ?? DEFAULT_LIMIT)
          .toArray();
        const now = Date.now();
        const views = found.map((job) => jobView(job, now));
        if (o.json) return printJson(views);
        printTable(
          views.map((v) => ({
            ...v,
            data: clip(JSON.stringify(v.data ?? {}), 60),
            failReason: v.failReason ? clip(v.failReason, 60) : '',
          })),
          ['id', 'name', 'state', 'nextRunAt', 'lastRunAt', 'lockedAt', 'failCount', 'failReason', 'data'],
        );
      });
    });

  jobs
    .command('retry')
    .description('run a failed or stuck job now: sets its nextRunAt to now, clears its lock and failure')
    .argument('<jobId>', 'the job id (from `findo jobs list`)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nOnly failed, stuck (locked past its lock lifetime) or overdue jobs are retried; a running or\n' +
        'scheduled job is left alone, so nothing runs early or twice.\n\nExample:\n  findo jobs retry 66f1c0ffee0000000000abcd',
    )
    .action(async (ref: string, o: { json?: boolean }) => {
      const id = new ObjectId(parseObjectId(ref, 'job'));
      await withDatabase(async () => {
        const collection = jobsCollection();
        const job = await collection.findOne({ _id: id });
        if (!job) throw new NotFoundError(`no job with id ${ref}`);
        const state = jobState(job);
        if (!RETRYABLE.includes(state)) {
          const why =
            state === 'running'
              ? `is running (locked at ${asDate(job.lockedAt)?.toISOString()})`
              : state === 'scheduled'
                ? `is scheduled for ${asDate(job.nextRunAt)?.toISOString()} and has not failed`
                : state === 'done'
                  ? 'finished successfully'
                  : 'is disabled';
          throw new Error(`job ${ref} (${String(job.name)}) ${why}; nothing to retry`);
        }
        // Conditional on the lock we saw: if a worker picked the job up meanwhile, leave it be.
        const updated = await collection.findOneAndUpdate(
          { _id: id, lockedAt: job.lockedAt ?? null },
          { $set: { nextRunAt: new Date(), failCount: 0 }, $unset: { lockedAt: '', failReason: '', failedAt: '' } },
          { returnDocument: 'after' },
        );
        if (!updated) throw new Error(`job ${ref} changed while retrying it (a worker picked it up); look again with findo jobs list`);
        const view = { ...jobView(updated), previousState: state, previousFailReason: orNull(job.failReason as string | undefined) };
        if (o.json) return printJson(view);
        process.stdout.write(`job ${view.id} (${view.name}) was ${state}; it runs at the next worker poll\n`);
        printDetails({ nextRunAt: view.nextRunAt, previousFailReason: view.previousFailReason });
      });
    });

  return jobs;
}
