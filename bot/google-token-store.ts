/**
 * The production TokenStore, the storage adapter that integrations/google/tokens.ts asks for: one
 * tenant's Google tokens in the `secrets` collection, encrypted by the vault. Refreshes are serialised by the shared database lock (`locks.ts`: taken by a
 * unique insert, always with an expiry), so two workers never refresh one tenant's token at once
 * and a worker that dies mid-refresh cannot block the tenant forever.
 */
import { z } from 'zod';
import { LockTimeoutError, withLock } from './locks.ts';
import { getSecret, putSecret } from './secrets.ts';
import type { Vault } from './vault.ts';
import { IntegrationError } from '../integrations/errors.ts';
import type { GoogleTokens, TokenStore } from '../integrations/google/tokens.ts';

/** Name of the secret that holds a tenant's Google tokens. */
export const GOOGLE_TOKENS_SECRET = 'google.tokens';
/** Key of the tenant's refresh lock. */
export const GOOGLE_TOKENS_LOCK = 'google.tokens.refresh-lock';

export interface MongoTokenStoreOptions {
  tenantId: string;
  vault: Vault;
  /** How long a held lock outlives a dead holder (renewed while the refresh runs). Default: every lock's, 20 000. */
  lockTtlMs?: number;
  /** How long to wait for another worker's lock before giving up (transient). Default 20 000. */
  lockWaitMs?: number;
}

const storedTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiryDate: z.number(),
  scope: z.string().optional(),
});

/**
 * A TokenStore for one tenant over MongoDB (see the file comment). The lock relies on the locks'
 * unique index, so the indexes must be built first (`ensureIndexes()`).
 */
export function mongoTokenStore(options: MongoTokenStoreOptions): TokenStore {
  const { tenantId, vault, lockTtlMs, lockWaitMs = 20_000 } = options;

  return {
    async load() {
      const stored = await getSecret(tenantId, GOOGLE_TOKENS_SECRET, vault);
      return stored === null ? null : (storedTokensSchema.parse(JSON.parse(stored)) satisfies GoogleTokens);
    },

    save(tokens) {
      return putSecret(tenantId, GOOGLE_TOKENS_SECRET, JSON.stringify(tokens), vault);
    },

    async withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await withLock(tenantId, GOOGLE_TOKENS_LOCK, fn, { ttlMs: lockTtlMs, waitMs: lockWaitMs });
      } catch (error) {
        if (!(error instanceof LockTimeoutError)) throw error;
        throw new IntegrationError('timed out waiting for another worker to refresh the Google token', 'transient', {
          provider: 'google',
          code: 'token_lock_timeout',
        });
      }
    },
  };
}
