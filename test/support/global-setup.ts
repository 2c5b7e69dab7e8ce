/**
 * Runs once before all test files: provides the MongoDB URI every database test uses.
 * `MONGODB_URI` wins; otherwise the same embedded chain as `findo start` (mongod, or FerretDB built
 * once with Go), on a throwaway data folder. Each test file then uses a database of its own on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { startEmbeddedServer } from '../../bot/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const { cacheDir, goBinary } = loadConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'findo-test-db-'));
  const server = await startEmbeddedServer({ dataDir, cacheDir, goBinary, persistent: false, progress: process.stderr });
  process.stderr.write(`tests use an embedded ${server.engine} at ${server.uri}\n`);
  project.provide('mongoUri', server.uri);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
