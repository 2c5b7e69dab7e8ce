/**
 * The embedded database, used when `MONGODB_URI` is unset: whichever engine can be had here.
 *
 * 1. `mongod` through mongodb-memory-server: its cached binary, `MONGOMS_SYSTEM_BINARY`, or the
 *    download; files under `<dataDir>/db`.
 * 2. Otherwise FerretDB on SQLite (bot/db/ferretdb.ts), built once with Go; files under
 *    `<dataDir>/ferretdb`.
 * 3. Neither: one line naming both ways out.
 *
 * Once a data folder holds one engine's files, that engine is used again, so data never seems to
 * vanish because the other engine became available.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { ensureFerretDbBinary, FerretDbUnavailableError, startFerretDb } from './ferretdb.ts';

export type EmbeddedEngine = 'mongod' | 'ferretdb';

export interface EmbeddedServer {
  engine: EmbeddedEngine;
  /** Connection string without a database name. */
  uri: string;
  /** Where the engine keeps its files. */
  dataPath: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Where the FerretDB binary is cached. */
  cacheDir: string;
  /** The Go toolchain that builds FerretDB (default: `go` on PATH, or /usr/local/go/bin/go). */
  goBinary?: string;
  /** Keep the files (Findo) or throw them away on stop (tests). */
  persistent: boolean;
  logger?: Logger;
  /** Where the one-time FerretDB build reports its progress. */
  progress?: NodeJS.WritableStream;
}

/** Neither engine can be had: the message is the one line the user sees. */
export class EmbeddedDatabaseUnavailableError extends Error {
  override name = 'EmbeddedDatabaseUnavailableError';
}

export async function startEmbeddedServer(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const ferretPath = join(options.dataDir, 'ferretdb');
  const mongodPath = join(options.dataDir, 'db');
  if (hasFiles(ferretPath) && !hasFiles(mongodPath)) return startFerret(options, ferretPath);

  const mongod = await startMongod(options, mongodPath);
  if (mongod.ok) return mongod.server;
  options.logger?.info({ reason: mongod.reason }, 'mongod unavailable; using FerretDB');
  try {
    return await startFerret(options, ferretPath);
  } catch (error) {
    if (!(error instanceof FerretDbUnavailableError)) throw error;
    throw new EmbeddedDatabaseUnavailableError(
      `embedded database unavailable: ${mongod.reason}; ${error.message}. ` +
        'Set MONGODB_URI to a MongoDB server, or install Go (https://go.dev/dl) to build FerretDB, or allow the mongod download.',
    );
  }
}

const hasFiles = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;

async function startFerret(options: EmbeddedOptions, dataPath: string): Promise<EmbeddedServer> {
  const binary = await ensureFerretDbBinary(options);
  const ferret = await startFerretDb({ binary, dataPath, logger: options.logger });
  return {
    engine: 'ferretdb',
    uri: ferret.uri,
    dataPath,
    async stop() {
      await ferret.stop();
      if (!options.persistent) await removeTree(dataPath);
    },
  };
}

async function startMongod(
  options: EmbeddedOptions,
  dataPath: string,
): Promise<{ ok: true; server: EmbeddedServer } | { ok: false; reason: string }> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  if (options.persistent) mkdirSync(dataPath, { recursive: true });
  // mongodb-memory-server prints its own multi-line warnings before rejecting; the user gets one
  // line from us instead.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const server = await MongoMemoryServer.create({
      instance: options.persistent ? { dbPath: dataPath, storageEngine: 'wiredTiger', launchTimeout: 30_000 } : { launchTimeout: 30_000 },
    });
    return {
      ok: true,
      server: {
        engine: 'mongod',
        uri: server.getUri(),
        dataPath: options.persistent ? dataPath : (server.instanceInfo?.dbPath ?? dataPath),
        stop: async () => {
          await server.stop({ doCleanup: !options.persistent });
        },
      },
    };
  } catch (error) {
    const message = (error as Error).message;
    options.logger?.debug({ err: message }, 'embedded mongod failed');
    const systemBinary = process.env.MONGOMS_SYSTEM_BINARY;
    const unobtainable = /Download failed|could not find an valid binary|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|no binary|ENOENT/i.test(message);
    const reason =
      systemBinary && !existsSync(systemBinary)
        ? `no mongod at MONGOMS_SYSTEM_BINARY=${systemBinary}`
        : unobtainable
          ? 'mongod could not be downloaded'
          : `mongod did not start (${message.split('\n')[0]})`;
    return { ok: false, reason };
  } finally {
    console.warn = warn;
  }
}

async function removeTree(dir: string): Promise<void> {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
}
