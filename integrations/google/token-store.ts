/**
 * The production TokenStore: one tenant's Google tokens in the `secrets` collection, encrypted by
 * the vault. The refresh lock is a second secret document (`lock: { owner, until }`) that exists
 * while a worker refreshes. It is taken by inserting it, so the unique (tenantId, name) index
 * decides who wins: a conditional update on a lock field would be atomic on MongoDB, but is not on
 * the FerretDB/SQLite test database, where two concurrent conditional updates both succeed. The
 * lock always carries an expiry, so a worker that dies mid-refresh cannot block the tenant forever.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { SecretModel } from '../../bot/db/models/secret.ts';
import { getSecret, putSecret } from '../../bot/secrets.ts';
import type { Vault } from '../../bot/vault.ts';
import { IntegrationError } from '../errors.ts';
import type { GoogleTokens, TokenStore } from './tokens.ts';

/** Name of the secret that holds a tenant's Google tokens. */
export const GOOGLE_TOKENS_SECRET = 'google.tokens';
/** Name of the secret document whose `lock` field is the refresh lock. */
export const GOOGLE_TOKENS_LOCK = 'google.tokens.refresh-lock';

const DUPLICATE_KEY = 11000;

export interface MongoTokenStoreOptions {
  tenantId: string;
  vault: Vault;
  /** How long a held lock stays valid; a refresh is one HTTP call, so 30 s is generous. Default 30 000. */
  lockTtlMs?: number;
  /** How long to wait for another worker's lock before giving up (transient). Default 20 000. */
  lockWaitMs?: number;
  /** Pause between attempts to take a held lock. Default 100. */
  lockPollMs?: number;
}

const storedTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiryDate: z.number(),
  scope: z.string().optional(),
});

/**
 * A TokenStore for one tenant over MongoDB (see the file comment). The lock relies on the secrets'
 * unique (tenantId, name) index, so the indexes must be built first (`ensureIndexes()`).
 */
export function mongoTokenStore(options: MongoTokenStoreOptions): TokenStore {
  const { tenantId, vault, lockTtlMs = 30_000, lockWaitMs = 20_000, lockPollMs = 100 } = options;
  const lockKey = { tenantId, name: GOOGLE_TOKENS_LOCK };

  async function tryLock(owner: string): Promise<boolean> {
    const now = new Date();
    // A lock whose holder died (or overran) lapses; a live one is never deleted here.
    await SecretModel.deleteOne({ ...lockKey, 'lock.until': { $lte: now } });
    try {
      await SecretModel.create({ ...lockKey, lock: { owner, until: new Date(now.getTime() + lockTtlMs) } });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  return {
    async load() {
      const stored = await getSecret(tenantId, GOOGLE_TOKENS_SECRET, vault);
      return stored === null ? null : (storedTokensSchema.parse(JSON.parse(stored)) satisfies GoogleTokens);
    },

    save(tokens) {
      return putSecret(tenantId, GOOGLE_TOKENS_SECRET, JSON.stringify(tokens), vault);
    },

    async withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
      const owner = randomUUID();
      const deadline = Date.now() + lockWaitMs;
      while (!(await tryLock(owner))) {
        if (Date.now() >= deadline) {
          throw new IntegrationError('timed out waiting for another worker to refresh the Google token', 'transient', {
            provider: 'google',
            code: 'token_lock_timeout',
          });
        }
        await sleep(lockPollMs);
      }
      try {
        return await fn();
      } finally {
        // Only our own lock: if it lapsed and another worker took it, that one is theirs.
        await SecretModel.deleteOne({ ...lockKey, 'lock.owner': owner });
      }
    },
  };
}
