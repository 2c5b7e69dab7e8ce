/**
 * Starts Findo: the HTTP server (role `web`), the workers (role `worker`), or both (`all`).
 * Any number of web and worker processes can share one MongoDB. Workers run the inbox of webhook
 * events (bot/inbox/) and Agenda's delayed and scheduled jobs, under a stable identity
 * (bot/inbox/identity.ts) so a restarted worker takes back what its previous life held at once.
 *
 * In role `all` intake and workers share one connection pool; the workers' share is bounded by
 * their concurrency (inbox items and Agenda runs, one scan per job name), far below the pool size,
 * so processing never starves intake.
 */
import type { Server } from 'node:http';
import { createAgenda, startAgenda, unlockJobsOf } from './agenda.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/connection.ts';
import { ensureIndexes } from './db/models/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createServices, type Services } from './services.ts';
import { openVault } from './vault.ts';
import { createWebhookRouter } from './webhooks/routes.ts';
import { createOAuthRouter } from './oauth/callback.ts';
import { baseIdentity, registerWorker } from './inbox/identity.ts';
import { startInboxWorker, type InboxWorker } from './inbox/worker.ts';
import { releaseAllOf } from './inbox/queue.ts';
import { clearLocksOf, setLockHolder } from './locks.ts';
import { registerJobs, scheduleRecurringJobs } from '../jobs/index.ts';
import { keyPendingRuns } from '../jobs/queue.ts';
import { processEvent, renewEventLocks } from '../jobs/process-event.ts';

/** Webhook events processed in parallel per worker process. */
const INBOX_CONCURRENCY = 8;

export type Role = 'web' | 'worker' | 'all';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/**
 * Shutdown's bounds, one after the other: open requests, running work (whose own give-back may hang
 * on a dead database, so it gets `releaseMs` more), giving back job locks and the worker identity,
 * closing the connection. Their sum stays under 20 s, whatever the database does.
 */
export const SHUTDOWN = { requestsMs: 3_000, jobsMs: 8_000, releaseMs: 2_000 };

/** The longest a shutdown can take within its bounds. */
export const SHUTDOWN_BOUND_MS = SHUTDOWN.requestsMs + SHUTDOWN.jobsMs + 3 * SHUTDOWN.releaseMs;

/** Waits for `work` at most `ms`; past that, `onLate` and on. */
async function withDeadline(work: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([
    work.then(
      () => 'done',
      () => 'done',
    ),
    late,
  ]);
  clearTimeout(timer);
  if (outcome === 'late') onLate();
}

export interface StartOptions {
  config: Config;
  role?: Role;
  logger?: Logger;
  /** Overrides the database in the URI (tests give each file its own). */
  dbName?: string;
  /** How often workers poll for due jobs, in ms (default 2000; tests use less). */
  jobPollInterval?: number;
  /** Tells workers of one role on one host apart (default `FINDO_WORKER_ID`). */
  workerId?: string;
}

export interface RunningFindo {
  services: Services;
  database: Database;
  /** The HTTP server when the role includes `web`. */
  server?: Server;
  /** The base URL the server listens on. */
  url?: string;
  stop(): Promise<void>;
}

export async function startFindo(options: StartOptions): Promise<RunningFindo> {
  const { config, role = 'all' } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const vault = openVault(config);
  const database = await openDatabase(config, { logger, dbName: options.dbName });
  await ensureIndexes();

  const runsWorkers = role !== 'web';
  const identity = runsWorkers ? await registerWorker(baseIdentity(role, options.workerId)) : undefined;
  const agenda = await createAgenda(database.connection, {
    name: identity?.name ?? `findo-${role}-${process.pid}`,
    logger,
    pollInterval: options.jobPollInterval,
  });

  const services = createServices({ config, logger, vault, agenda, connection: database.connection });
  registerJobs(agenda, services);

  // Listening comes before the workers: a busy port stops this process before it takes any job.
  let server: Server | undefined;
  let url: string | undefined;
  if (role !== 'worker') {
    const app = createApp({
      connection: database.connection,
      logger,
      metricsToken: config.metricsToken,
      webhooks: createWebhookRouter({ config, logger }),
      pages: createOAuthRouter(services),
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
    }).catch(async (error: NodeJS.ErrnoException) => {
      await identity?.release();
      await database.close();
      if (error.code === 'EADDRINUSE')
        throw new PortInUseError(
          `port ${config.port} on ${config.host} is already in use (another findo start?): stop it, or choose another with --port or PORT`,
        );
      throw error;
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ url, role }, 'Findo is listening');
  }
  let inbox: InboxWorker | undefined;
  if (identity) {
    const owner = identity.name;
    setLockHolder(owner);
    if (identity.reclaim) {
      const [items, jobs] = await Promise.all([releaseAllOf(owner), unlockJobsOf(database.connection, owner), clearLocksOf(owner)]);
      if (items || jobs) logger.info({ identity: owner, items, jobs }, "took back the claims of this worker's previous life");
    }
    inbox = startInboxWorker({
      owner,
      concurrency: INBOX_CONCURRENCY,
      logger,
      run: (item) => processEvent(services, owner, item),
      onRenew: (eventRefs) => renewEventLocks(owner, eventRefs),
    });
    const keyed = await keyPendingRuns();
    if (keyed) logger.info({ runs: keyed }, 'wrote the uniqueness keys of pending runs queued without one');
    await startAgenda(agenda, database.connection);
    await scheduleRecurringJobs(agenda);
  }
  if (!config.anthropic.apiKey) logger.info('no ANTHROPIC_API_KEY: using built-in texts and rules instead of Claude');
  logger.info({ role, pid: process.pid, identity: identity?.name }, 'Findo started');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop intake: no new requests; open ones get a moment, then their sockets are closed.
      const closing = server && new Promise<void>((resolve) => server!.close(() => resolve()));
      server?.closeIdleConnections();
      const closeLeft = setTimeout(() => server?.closeAllConnections(), SHUTDOWN.requestsMs);
      await closing;
      clearTimeout(closeLeft);
      // Running work gets a deadline; what is left is given back to other workers, and a database
      // that does not answer cannot hold the exit (the claims then lapse on their own).
      await withDeadline(
        Promise.all([inbox?.stop(SHUTDOWN.jobsMs), agenda.drain({ timeout: SHUTDOWN.jobsMs, closeConnection: false })]),
        SHUTDOWN.jobsMs + SHUTDOWN.releaseMs,
        () => logger.warn('running work not given back: the database did not answer (its claims lapse on their own)'),
      );
      await withDeadline(Promise.all([agenda.stop(false), identity?.release()]), SHUTDOWN.releaseMs, () =>
        logger.warn('job locks and worker identity not released: the database did not answer'),
      );
      await withDeadline(database.close(), SHUTDOWN.releaseMs, () => logger.warn('database connection not closed cleanly'));
      logger.info('Findo stopped');
    })());

  return { services, database, server, url, stop };
}
