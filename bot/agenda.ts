/**
 * Agenda on the already-connected MongoDB driver. Built from an address, Agenda connects on its
 * own, and an unreachable server becomes an unhandled rejection (reference/stack.md §2).
 */
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type mongoose from 'mongoose';
import { CLAIM_LIFETIME_MS } from './locks.ts';
import type { Logger } from './logger.ts';

export const AGENDA_COLLECTION = 'agendaJobs';

/**
 * How long a job lock holds without renewal: a running job renews it (jobs/index.ts), so this is
 * how soon another worker takes over the jobs of a worker that died (plus one poll): within 30 s.
 */
export const JOB_LOCK_LIFETIME = CLAIM_LIFETIME_MS;

/** Agenda's default poll: it carries delays, schedules and retries, none of them in a hurry. */
const DEFAULT_POLL_INTERVAL = 2_000;

/** Agenda runs in parallel per worker process, across all job names. */
const AGENDA_MAX_CONCURRENCY = 10;

export async function createAgenda(
  connection: mongoose.Connection,
  options: { name: string; logger: Logger; pollInterval?: number },
): Promise<Agenda> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: connection.db as unknown as Db, collection: AGENDA_COLLECTION }),
    name: options.name,
    processEvery: options.pollInterval ?? Number(process.env.FINDO_JOB_POLL_INTERVAL ?? DEFAULT_POLL_INTERVAL),
    defaultLockLifetime: JOB_LOCK_LIFETIME,
    // One scan locks at most what this worker can run; without limits one scan locks every due
    // job, one query at a time, and nothing runs before it ends.
    lockLimit: AGENDA_MAX_CONCURRENCY,
    maxConcurrency: AGENDA_MAX_CONCURRENCY,
    // Only what is still to come stays in the collection, so its scans stay short.
    removeOnComplete: true,
  });
  agenda.on('error', (error: Error) => options.logger.error({ err: error.message }, 'agenda error'));
  await agenda.ready;
  return agenda;
}

/**
 * Indexes for the one job-data field looked up (a conversation's silence checks are cancelled by
 * it; unique enqueues look their key up by `_id`, jobs/queue.ts), and for the poll's question which
 * job names are due (dueJobNames).
 */
async function ensureJobIndexes(connection: mongoose.Connection): Promise<void> {
  const jobs = connection.db!.collection(AGENDA_COLLECTION);
  await Promise.all([
    jobs.createIndex({ name: 1, 'data.conversationRef': 1 }, { name: 'findo_conversationRef' }),
    jobs.createIndex({ lockedAt: 1, nextRunAt: 1 }, { name: 'findo_due' }),
  ]);
}

/** The parts of Agenda 6.2.6's job processor that startAgenda reshapes (not in its public types). */
interface JobProcessor {
  isRunning: boolean;
  process(): Promise<void>;
  jobQueueFilling(name: string): Promise<void>;
  jobProcessing(): void;
}

/**
 * Starts Agenda's job processing with one query per poll while nothing is due. Agenda 6.2.6 scans
 * once per job name every poll (11 `findOneAndUpdate`s with an `$or` and a sort: each one a full
 * scan on FerretDB), and starts the next poll's scans while the last ones still run (it sets
 * `isJobQueueFilling` but never reads it). Here a poll first asks which job names have a job due
 * before the next poll or a lapsed lock (one `distinct`), then fills only those; a poll waits for
 * the last one, and each name has one fill at a time.
 */
export async function startAgenda(agenda: Agenda, connection: mongoose.Connection): Promise<void> {
  // Built by the workers, whose scans they serve: a process that only queues (web, CLI) skips them.
  await ensureJobIndexes(connection);
  await agenda.start();
  const processor = (agenda as unknown as { jobProcessor: JobProcessor }).jobProcessor;
  const lockLifetime = Math.min(...Object.values(agenda.definitions).map((definition) => definition.lockLifetime));

  // Agenda's fill locks one job and calls itself for the next: a call during a fill of the same
  // name marks it to run once more, and the first call returns when no more are asked for.
  const fill = processor.jobQueueFilling.bind(processor);
  const fillAgain = new Map<string, boolean>();
  processor.jobQueueFilling = async (name) => {
    if (fillAgain.has(name)) {
      fillAgain.set(name, true);
      return;
    }
    try {
      do {
        fillAgain.set(name, false);
        await fill(name);
      } while (fillAgain.get(name) && processor.isRunning);
    } finally {
      fillAgain.delete(name);
    }
  };

  let polling: Promise<void> | undefined;
  const poll = async () => {
    if (!processor.isRunning) return;
    const now = Date.now();
    // Agenda's fills take what is due before the next poll, and run it on time with a timer.
    const due = await dueJobNames(connection, new Date(now + agenda.attrs.processEvery), new Date(now - lockLifetime));
    await Promise.all(due.filter((name) => name in agenda.definitions).map((name) => processor.jobQueueFilling(name)));
    processor.jobProcessing();
  };
  processor.process = () =>
    (polling ??= poll()
      .catch((error: Error) => void agenda.emit('error', error))
      .finally(() => (polling = undefined)));
}

/**
 * The names of the jobs Agenda's lock query would take now: enabled, unlocked and due by
 * `nextScanAt`, or locked before `lockDeadline` (a lapsed lock). The same condition as
 * `@agendajs/mongo-backend`'s lock query without the name; a real MongoDB answers it from the
 * `findo_due` index (both `$or` branches start with `lockedAt`).
 */
async function dueJobNames(connection: mongoose.Connection, nextScanAt: Date, lockDeadline: Date): Promise<string[]> {
  return (await connection.db!.collection(AGENDA_COLLECTION).distinct('name', {
    disabled: { $ne: true },
    $or: [{ lockedAt: null, nextRunAt: { $lte: nextScanAt } }, { lockedAt: { $lte: lockDeadline } }],
  })) as string[];
}

/**
 * Frees the job locks a dead previous life of this worker identity held (Agenda marks each lock
 * with its instance name), so they run again at once instead of after their lock lifetime. The
 * locks are expired, not removed: a one-shot job that was running has no `nextRunAt`, and Agenda
 * takes such a job again only through an expired lock (an unlocked one would never run).
 */
export async function unlockJobsOf(connection: mongoose.Connection, name: string): Promise<number> {
  const { modifiedCount } = await connection
    .db!.collection(AGENDA_COLLECTION)
    .updateMany({ lastModifiedBy: name, lockedAt: { $ne: null } }, { $set: { lockedAt: new Date(0) } });
  return modifiedCount;
}

/**
 * Schedules a recurring job, unless it is scheduled already with this interval and timezone.
 * Agenda's `every` upserts the job by name and writes its lock and next run afresh: a worker
 * starting while the job's run is held by a dead worker (or running on another) would drop that
 * run, and a weekly digest killed mid-run would wait a week.
 */
export async function scheduleEvery(
  agenda: Agenda,
  interval: string | number,
  name: string,
  options: { timezone?: string; skipImmediate: boolean },
): Promise<void> {
  const { jobs } = await agenda.queryJobs({ name });
  const scheduled = jobs.some(
    (job) => String(job.repeatInterval) === String(interval) && (job.repeatTimezone ?? undefined) === options.timezone,
  );
  if (!scheduled) await agenda.every(interval, name, {}, options);
}
