/**
 * The database connection: `MONGODB_URI` when set, else the embedded database (bot/db/embedded.ts:
 * mongod, or FerretDB where mongod cannot be had) whose files persist under `$FINDO_DATA_DIR`. A
 * running embedded instance advertises itself in `$FINDO_DATA_DIR/database.json`, so CLI commands
 * reach it instead of opening the same files twice.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import mongoose from 'mongoose';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedServer, type EmbeddedEngine } from './embedded.ts';
import { stopOrphanFerretDb } from './ferretdb.ts';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface Database {
  connection: mongoose.Connection;
  uri: string;
  /** The embedded engine this process started (and stops on close), if any. */
  embedded?: { engine: EmbeddedEngine; dataPath: string };
  close(): Promise<void>;
}

interface RunFile {
  uri: string;
  /** The Findo process that runs the engine. */
  pid: number;
  engine: EmbeddedEngine;
  dataPath: string;
}

const runFilePath = (dataDir: string) => join(dataDir, 'database.json');

function readRunFile(dataDir: string): RunFile | null {
  try {
    return JSON.parse(readFileSync(runFilePath(dataDir), 'utf8')) as RunFile;
  } catch {
    return null;
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function connectMongoose(uri: string, dbName?: string): Promise<mongoose.Connection> {
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000, dbName, autoIndex: true });
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot reach MongoDB at ${redactUri(uri)}: ${(error as Error).message.split('\n')[0]}`);
  }
  return mongoose.connection;
}

/** The URI with any password replaced, for messages. */
export const redactUri = (uri: string): string => uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');

/**
 * Opens the database for this configuration. `dbName` overrides the database named in the URI
 * (tests give each file its own). A one-time build of the embedded engine reports its progress on
 * `progress` (stderr by default, so `--json` output stays clean).
 */
export async function openDatabase(
  config: Config,
  options: { logger?: Logger; dbName?: string; progress?: NodeJS.WritableStream } = {},
): Promise<Database> {
  const { logger, dbName } = options;
  if (config.mongodbUri) {
    const connection = await connectMongoose(config.mongodbUri, dbName);
    return { connection, uri: config.mongodbUri, close: () => mongoose.disconnect() };
  }

  const running = readRunFile(config.dataDir);
  if (running && isAlive(running.pid)) {
    const connection = await connectMongoose(running.uri, dbName ?? 'findo');
    return { connection, uri: running.uri, close: () => mongoose.disconnect() };
  }
  // A Findo killed without its shutdown leaves its FerretDB running on our files: end it first.
  if (running?.engine === 'ferretdb') stopOrphanFerretDb(running.dataPath);

  const server = await startEmbeddedServer({
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    goBinary: config.goBinary,
    persistent: true,
    logger,
    progress: options.progress ?? process.stderr,
  });
  writeFileSync(
    runFilePath(config.dataDir),
    JSON.stringify({ uri: server.uri, pid: process.pid, engine: server.engine, dataPath: server.dataPath } satisfies RunFile),
    { mode: 0o600 },
  );
  logger?.info({ engine: server.engine, dataPath: server.dataPath }, 'embedded database started');
  let connection: mongoose.Connection;
  try {
    connection = await connectMongoose(server.uri, dbName ?? 'findo');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    connection,
    uri: server.uri,
    embedded: { engine: server.engine, dataPath: server.dataPath },
    async close() {
      await mongoose.disconnect();
      await server.stop();
      if (readRunFile(config.dataDir)?.pid === process.pid) rmSync(runFilePath(config.dataDir), { force: true });
    },
  };
}

/** Whether the database answers a ping right now. */
export async function isDatabaseUp(connection: mongoose.Connection): Promise<boolean> {
  if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) return false;
  try {
    await connection.db.admin().ping({ maxTimeMS: 1_000 });
    return true;
  } catch {
    return false;
  }
}

/** Driver errors that mean the database could not be reached or did not answer in time. */
const OUTAGE_ERRORS = [
  // Also every pool-cleared error (`PoolClearedOnNetworkError` included) and network timeouts.
  MongoNetworkError,
  MongoServerSelectionError,
  MongoNotConnectedError,
  MongoTopologyClosedError,
  MongoServerClosedError,
  MongoClientClosedError,
  MongoOperationTimeoutError,
  mongoose.Error.MongooseServerSelectionError,
];
/** Pool errors the driver does not export: a pool closed, or no connection free in time. */
const OUTAGE_ERROR_NAMES = new Set(['MongoPoolClosedError', 'MongoWaitQueueTimeoutError']);
/** Labels the driver or server put on errors worth retrying as they are. */
const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'SystemOverloadedError', 'TransientTransactionError'];

/**
 * Whether an error means the database is unavailable for now (so a caller should answer "retry
 * later"), as opposed to a fault in what was asked. Checked by class, not by name or message: the
 * driver names some subclasses differently (`PoolClearedOnNetworkError`).
 */
export function isDatabaseOutage(error: unknown): boolean {
  if (OUTAGE_ERRORS.some((type) => error instanceof type)) return true;
  if (error instanceof MongoError)
    return OUTAGE_ERROR_NAMES.has(error.name) || TRANSIENT_LABELS.some((label) => error.hasErrorLabel(label));
  // Mongoose's own: an operation queued while disconnected that waited longer than `bufferTimeoutMS`.
  return error instanceof mongoose.Error && /buffering timed out/.test(error.message);
}
