/**
 * Each test file gets its own database on the shared test server, so files run in parallel.
 */
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import mongoose from 'mongoose';
import { ensureIndexes } from '../../bot/db/models/index.ts';

/** The test server's URI with the database part replaced by `dbName`. */
export function testDatabaseUri(dbName: string): string {
  const url = new URL(inject('mongoUri'));
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** A database name unique to this file and run: `t_<file>_<random>`. */
export function uniqueDbName(file: string): string {
  const stem = basename(file)
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-zA-Z0-9]/g, '_')
    .slice(0, 30);
  return `t_${stem}_${randomBytes(3).toString('hex')}`;
}

/** Connects mongoose to a fresh database for this file; returns a function that drops and disconnects. */
export async function connectTestDatabase(file: string): Promise<{ uri: string; dbName: string; close: () => Promise<void> }> {
  const dbName = uniqueDbName(file);
  const uri = testDatabaseUri(dbName);
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000 });
  await ensureIndexes();
  return {
    uri,
    dbName,
    close: async () => {
      await mongoose.connection.db?.dropDatabase().catch(() => {});
      await mongoose.disconnect();
    },
  };
}

/** A fixed test master key (32 bytes, base64). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
