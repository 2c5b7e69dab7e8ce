/**
 * Queuing work by job name (jobs/catalog.ts): the payload is validated against the job's schema,
 * and a job with a uniqueness key gets one pending run per key. Bound to an Agenda in the service
 * bag (`services.enqueue`, `services.cancelJobs`), so flows queue work without importing handlers.
 *
 * A uniqueness key is a small document in {@link JOB_KEY_COLLECTION} whose `_id` is the key and
 * which names the run that holds it. Agenda's own `unique` upsert looks the key up in the job
 * collection: FerretDB reads every pending job of that name for it (it pushes down only `_id` on
 * SQLite, top-level equality on PostgreSQL), and on SQLite that read blocks all writes. Here an
 * enqueue is two writes by `_id` (the key, then its run), and the database's unique `_id` decides
 * which of concurrent enqueues gets the key, on FerretDB as on a real MongoDB.
 */
import type { Agenda, Job } from 'agenda';
import { ObjectId, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { AGENDA_COLLECTION } from '../bot/agenda.ts';
import { CLAIM_LIFETIME_MS, SYSTEM_SCOPE, withLock } from '../bot/locks.ts';
import { isDuplicateKey } from '../bot/db/models/index.ts';
import { JOBS, type JobData, type JobName, type JobSpec } from './catalog.ts';

export const JOB_KEY_COLLECTION = 'agendaJobKeys';

export interface JobQueue {
  /** Schedules a run of job `name` at `at` (default now); a pending run with its uniqueness key absorbs it. */
  enqueue<Name extends JobName>(name: Name, data: JobData<Name>, options?: { at?: Date }): Promise<void>;
  /** Removes the pending runs of job `name` whose data have these field values. */
  cancelJobs<Name extends JobName>(name: Name, data: Partial<JobData<Name>>): Promise<void>;
}

interface JobKey {
  /** The job name and the key's data fields, e.g. `missed-call-followup:{"data.tenantId":"…","data.phone":"…"}`. */
  _id: string;
  /** The run that holds the key. */
  jobId: ObjectId;
  at: Date;
}

interface UniquenessKey {
  id: string;
  /** Only a run that has not started holds the key (`nextRunAt: {$ne: null}` in the catalog). */
  pendingOnly: boolean;
}

/**
 * The key of a run of job `name` with `data`, read from the catalog's `uniqueBy` query; none for a
 * job without one (or a stored run whose data no longer fit its schema).
 */
function uniquenessKey(name: string, data: unknown): UniquenessKey | undefined {
  const spec: JobSpec | undefined = JOBS[name as JobName];
  const payload = spec?.uniqueBy && spec.schema.safeParse(data);
  if (!payload?.success) return undefined;
  const { nextRunAt, ...fields } = spec.uniqueBy!(payload.data);
  return { id: `${name}:${JSON.stringify(fields)}`, pendingOnly: nextRunAt !== undefined };
}

const jobKeys = () => mongoose.connection.db!.collection<JobKey>(JOB_KEY_COLLECTION);
const agendaJobs = () => mongoose.connection.db!.collection(AGENDA_COLLECTION);

/** How many times an enqueue replaces a stale key before giving up (each try follows another's replacement). */
const KEY_ATTEMPTS = 5;

/**
 * Whether the run a key names still holds it: it is due (a retry too), or running unless only
 * pending runs count. A run that finished (removed), failed for good or was cancelled does not. A
 * key whose run is not in the collection yet holds for a claim lifetime: its enqueue is between its
 * two writes, or died there, and then the key frees itself.
 */
async function holdsKey(key: JobKey, pendingOnly: boolean): Promise<boolean> {
  const run = await agendaJobs().findOne({ _id: key.jobId }, { projection: { nextRunAt: 1, lockedAt: 1 } });
  if (!run) return Date.now() - key.at.getTime() < CLAIM_LIFETIME_MS;
  return run.nextRunAt != null || (!pendingOnly && run.lockedAt != null);
}

/**
 * Removes `key` if run `jobId` still names it. The deletes of one key take turns under a lock, so
 * between the read and the delete nobody else removes the key, and nobody writes another (an
 * insert needs it gone; the unique `_id` decides inserts). Both by `_id` alone: the only filter
 * FerretDB pushes down on SQLite.
 */
async function releaseKey(keyId: string, jobId: ObjectId): Promise<void> {
  await withLock(SYSTEM_SCOPE, `job-key:${keyId}`, async () => {
    const key = await jobKeys().findOne({ _id: keyId });
    if (key?.jobId.equals(jobId)) await jobKeys().deleteOne({ _id: keyId });
  });
}

/** Makes run `jobId` the holder of `key`; false when another run holds it. */
async function claimKey(key: UniquenessKey, jobId: ObjectId): Promise<boolean> {
  for (let attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
    try {
      await jobKeys().insertOne({ _id: key.id, jobId, at: new Date() });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const current = await jobKeys().findOne({ _id: key.id });
    if (current && (await holdsKey(current, key.pendingOnly))) return false;
    if (current) await releaseKey(key.id, current.jobId);
  }
  throw new Error(`the job key ${key.id} kept changing`);
}

/**
 * Inserts `run` under the id its key names, as Agenda's own insert writes it. Not through
 * `save()`: Agenda can choose the id only with an upsert filtered by `_id` and `name`, and FerretDB
 * pushes a filter down on SQLite only when it is `_id` alone, so that upsert reads every job.
 */
async function insertRun(agenda: Agenda, run: Job, jobId: ObjectId): Promise<void> {
  await agendaJobs().insertOne({ ...run.toJson(true), _id: jobId, lockedAt: null, lastModifiedBy: agenda.attrs.name || null });
}

export function jobQueue(agenda: Agenda): JobQueue {
  // A run that succeeded is removed (removeOnComplete): its key goes with it, so the key collection
  // holds only what is pending. A failed or cancelled run's key is replaced by the next enqueue.
  agenda.on('success', (job: Job) => {
    const { name, data, nextRunAt, _id } = job.attrs;
    const key = nextRunAt ? undefined : uniquenessKey(name, data);
    if (key && _id) releaseKey(key.id, new ObjectId(String(_id))).catch((error: Error) => agenda.emit('error', error));
  });

  return {
    async enqueue(name, data, options = {}) {
      const payload = JOBS[name].schema.parse(data);
      const run = agenda.create(name, payload);
      run.schedule(options.at ?? new Date());
      const key = uniquenessKey(name, payload);
      if (!key) return void (await run.save());
      const jobId = new ObjectId();
      if (!(await claimKey(key, jobId))) return;
      try {
        await insertRun(agenda, run, jobId);
      } catch (error) {
        // Free the key for the caller's retry; should this fail too, the key frees itself (holdsKey).
        await releaseKey(key.id, jobId).catch(() => undefined);
        throw error;
      }
    },
    async cancelJobs(name, data) {
      const filter = { name, ...Object.fromEntries(Object.entries(data).map(([field, value]) => [`data.${field}`, value])) };
      const runs: Document[] = await agendaJobs()
        .find(filter, { projection: { data: 1 } })
        .toArray();
      if (runs.length === 0) return;
      // Keys first: an enqueue that then finds the key free writes a new run, which the removal by id spares.
      for (const run of runs) {
        const key = uniquenessKey(name, run.data);
        if (key) await releaseKey(key.id, run._id as ObjectId);
      }
      await agenda.cancel({ ids: runs.map((run) => String(run._id)) });
    },
  };
}

/**
 * Writes the keys of the pending runs that have none: runs queued with Agenda's own `unique`
 * upsert before keys existed, so that the first enqueues after an upgrade find them. A worker calls
 * it as it starts: one read of the job and key collections, and a write per run without a key.
 */
export async function keyPendingRuns(): Promise<number> {
  const names = Object.keys(JOBS).filter((name) => JOBS[name as JobName].uniqueBy !== undefined);
  const [runs, keyed] = await Promise.all([
    agendaJobs()
      .find(
        { name: { $in: names }, $or: [{ nextRunAt: { $ne: null } }, { lockedAt: { $ne: null } }] },
        { projection: { name: 1, data: 1, nextRunAt: 1 } },
      )
      .toArray(),
    jobKeys()
      .find({}, { projection: { jobId: 1 } })
      .toArray(),
  ]);
  const keyedRuns = new Set(keyed.map((key) => String(key.jobId)));
  let written = 0;
  for (const run of runs) {
    const key = uniquenessKey(String(run.name), run.data);
    if (!key || keyedRuns.has(String(run._id)) || (key.pendingOnly && run.nextRunAt == null)) continue;
    try {
      // Dated at the epoch: the run was there when keyed, so once it is gone the key frees at once.
      await jobKeys().insertOne({ _id: key.id, jobId: run._id as ObjectId, at: new Date(0) });
      written += 1;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  return written;
}
