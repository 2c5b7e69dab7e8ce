/**
 * Which database errors a webhook answers with 503 (retry later) rather than 500. The driver's own
 * error objects, as it builds them when a pool is cleared mid-request or no connection frees up:
 * under load the old name-and-message match let `PoolClearedOnNetworkError` through as a 500.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
// The driver builds these itself and does not export them; they are what a cleared or busy pool throws.
const { PoolClearedOnNetworkError, WaitQueueTimeoutError } = createRequire(import.meta.url)('mongodb/lib/cmap/errors.js') as {
  PoolClearedOnNetworkError: new (pool: { address: string; serverError?: Error }) => Error;
  WaitQueueTimeoutError: new (message: string, address: string) => Error;
};
import { isDatabaseOutage } from '../../../bot/db/connection.ts';

const pool = { address: '127.0.0.1:27017', serverError: undefined };

describe('isDatabaseOutage', () => {
  it('counts a pool cleared by a network timeout, a full wait queue and a lost connection as an outage', () => {
    expect(isDatabaseOutage(new PoolClearedOnNetworkError(pool))).toBe(true);
    expect(isDatabaseOutage(new WaitQueueTimeoutError('timed out while checking out a connection', '127.0.0.1:27017'))).toBe(true);
    expect(isDatabaseOutage(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))).toBe(true);
    expect(isDatabaseOutage(new MongoServerSelectionError('Server selection timed out after 5000 ms', {} as never))).toBe(true);
  });

  it('does not count a refused write or an ordinary bug as an outage', () => {
    expect(isDatabaseOutage(new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 }))).toBe(false);
    expect(isDatabaseOutage(new TypeError('connection closed'))).toBe(false);
  });
});
