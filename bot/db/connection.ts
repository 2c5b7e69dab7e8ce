/**
 * The database connection: `MONGODB_URI` when set, else an embedded mongod (mongodb-memory-server)
 * whose files persist under `$FINDO_DATA_DIR/db`. A running embedded instance advertises itself in
 * `$FINDO_DATA_DIR/mongod.json`, so CLI commands reach it instead of opening the same files twice.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface Database {
  connection: mongoose.Connection;
  uri: string;
  /** True when this process started the embedded mongod (and stops it on close). */
  ownsEmbeddedServer: boolean;
  close(): Promise<void>;
}

interface RunFile {
  uri: string;
  pid: number;
}

const runFilePath = (dataDir: string) => join(dataDir, 'mongod.json');

function readRunFile(dataDir: string): RunFile | null {
  try {
    const run = JSON.parse(readFileSync(runFilePath(dataDir), 'utf8')) as RunFile;
    process.kill(run.pid, 0); // throws when the process that wrote it is gone
    return run;
  } catch {
    return null;
  }
}

async function connectMongoose(uri: string, dbName?: string): Promise<mongoose.Connection> {
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000, dbName, autoIndex: true });
  } catch (error) {
    throw new DatabaseUnavailableError(
      `cannot reach MongoDB at ${redactUri(uri)}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return mongoose.connection;
}

/** The URI with any password replaced, for messages. */
export const redactUri = (uri: string): string => uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');

async function startEmbedded(dataDir: string, logger?: Logger) {
  const dbPath = join(dataDir, 'db');
  mkdirSync(dbPath, { recursive: true });
  const { MongoMemoryServer, errors } = await import('mongodb-memory-server');
  // mongodb-memory-server prints its own multi-line warning before rejecting; keep the console
  // quiet so the user sees one line with the fix.
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', launchTimeout: 30_000 } });
  } catch (error) {
    const e = error as Error;
    const unobtainable =
      e instanceof errors.DownloadError ||
      e instanceof errors.BinaryNotFoundError ||
      /could not find an valid binary|Download failed|ENOTFOUND|EAI_AGAIN/i.test(e.message);
    logger?.debug({ err: e.message }, 'embedded mongod failed');
    throw new DatabaseUnavailableError(
      unobtainable
        ? 'embedded MongoDB unavailable: mongod could not be downloaded. Set MONGODB_URI to a MongoDB server, or MONGOMS_SYSTEM_BINARY=/path/to/mongod.'
        : `embedded MongoDB failed to start: ${e.message.split('\n')[0]}. Set MONGODB_URI to use another server.`,
    );
  } finally {
    console.warn = warn;
  }
}

/**
 * Opens the database for this configuration. `dbName` overrides the database named in the URI
 * (tests give each file its own).
 */
export async function openDatabase(config: Config, options: { logger?: Logger; dbName?: string } = {}): Promise<Database> {
  const { logger, dbName } = options;
  if (config.mongodbUri) {
    const connection = await connectMongoose(config.mongodbUri, dbName);
    return { connection, uri: config.mongodbUri, ownsEmbeddedServer: false, close: () => mongoose.disconnect() };
  }

  const running = readRunFile(config.dataDir);
  if (running) {
    const connection = await connectMongoose(running.uri, dbName ?? 'findo');
    return { connection, uri: running.uri, ownsEmbeddedServer: false, close: () => mongoose.disconnect() };
  }

  const server = await startEmbedded(config.dataDir, logger);
  const uri = server.getUri();
  writeFileSync(runFilePath(config.dataDir), JSON.stringify({ uri, pid: process.pid } satisfies RunFile), { mode: 0o600 });
  logger?.info({ dbPath: join(config.dataDir, 'db') }, 'embedded MongoDB started');
  const connection = await connectMongoose(uri, dbName ?? 'findo');
  return {
    connection,
    uri,
    ownsEmbeddedServer: true,
    async close() {
      await mongoose.disconnect();
      await server.stop({ doCleanup: false });
      if (existsSync(runFilePath(config.dataDir))) rmSync(runFilePath(config.dataDir), { force: true });
    },
  };
}

/** Whether the database answers a ping right now. */
export async function isDatabaseUp(connection: mongoose.Connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  try {
    await connection.db.admin().ping({ maxTimeMS: 1_000 } as never);
    return true;
  } catch {
    return false;
  }
}
