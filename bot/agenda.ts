/**
 * Agenda on the already-connected MongoDB driver. Built from an address, Agenda connects on its
 * own, and an unreachable server becomes an unhandled rejection (reference/stack.md §2).
 */
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type mongoose from 'mongoose';
import type { Logger } from './logger.ts';

export const AGENDA_COLLECTION = 'agendaJobs';

/** How long a run holds its job's lock unless its definition says otherwise. */
export const DEFAULT_LOCK_LIFETIME = 5 * 60_000;

export async function createAgenda(
  connection: mongoose.Connection,
  options: { name: string; logger: Logger; pollInterval?: number },
): Promise<Agenda> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: connection.db as unknown as Db, collection: AGENDA_COLLECTION }),
    name: options.name,
    processEvery: options.pollInterval ?? Number(process.env.FINDO_JOB_POLL_INTERVAL ?? 2_000),
    defaultLockLifetime: DEFAULT_LOCK_LIFETIME,
  });
  agenda.on('error', (error: Error) => options.logger.error({ err: error.message }, 'agenda error'));
  await agenda.ready;
  await ensureJobIndexes(connection);
  return agenda;
}

/**
 * Indexes for the job-data fields our unique enqueues look up (one pending job per event, caller,
 * conversation, request, message, review, tenant). Without them every enqueue scans all jobs.
 */
async function ensureJobIndexes(connection: mongoose.Connection): Promise<void> {
  const jobs = connection.db!.collection(AGENDA_COLLECTION);
  await Promise.all(
    ['eventRef', 'conversationRef', 'requestRef', 'messageRef', 'reviewRef', 'tenantId'].map((field) =>
      jobs.createIndex({ name: 1, [`data.${field}`]: 1 }, { name: `findo_${field}` }),
    ),
  );
}
