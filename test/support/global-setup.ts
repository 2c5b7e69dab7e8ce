/**
 * Runs once before all test files: provides the MongoDB URI every database test uses.
 * `MONGODB_URI` (e.g. from scripts/test-db.sh) wins; otherwise an in-memory mongod is started,
 * which needs mongodb-memory-server's one-time download of `mongod`.
 */
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';

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
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create().catch((error: Error) => {
    throw new Error(
      `the tests need MongoDB: the embedded mongod could not start (${error.message.split('\n')[0]}). ` +
        'Set MONGODB_URI, or run: eval "$(scripts/test-db.sh start)" && npm test',
    );
  });
  project.provide('mongoUri', server.getUri());
  return async () => {
    await server.stop();
  };
}
