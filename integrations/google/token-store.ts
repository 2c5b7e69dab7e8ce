/**
 * The production TokenStore: one tenant's Google tokens in the `secrets` collection, encrypted by
 * the vault, with a refresh lock that is a conditional update on the secret's `lock` field. The
 * lock always carries an expiry, so a worker that dies mid-refresh cannot block the tenant forever.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { SecretModel } from '../../bot/db/models/secret.ts';
import type { Vault } from '../../bot/vault.ts';
import { IntegrationError } from '../errors.ts';
import type { GoogleTokens, TokenStore } from './tokens.ts';

/** Name of the secret that holds a tenant's Google tokens. */
export const GOOGLE_TOKENS_SECRET = 'google.tokens';

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

/** A TokenStore for one tenant over MongoDB (see the file comment). */
export function mongoTokenStore(options: MongoTokenStoreOptions): TokenStore {
  const { tenantId, vault, lockTtlMs = 30_000, lockWaitMs = 20_000, lockPollMs = 100 } = options;
  const key = { tenantId, name: GOOGLE_TOKENS_SECRET };

  async function tryLock(owner: string): Promise<boolean> {
    const now = new Date();
    try {
      // Matches only when the lock is free or expired; the upsert covers a tenant with no secret yet.
      const taken = await SecretModel.findOneAndUpdate(
        { ...key, $or: [{ 'lock.until': { $exists: false } }, { 'lock.until': null }, { 'lock.until': { $lte: now } }] },
        { $set: { lock: { owner, until: new Date(now.getTime() + lockTtlMs) } } },
        { upsert: true, returnDocument: 'after' },
      );
      return taken?.lock?.owner === owner;
    } catch (error) {
      // The upsert collided with the existing, locked secret: someone else holds it.
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  return {
    async load() {
      const secret = await SecretModel.findOne(key).lean();
      if (!secret?.box?.data) return null;
      const { keyId, iv, tag, data } = secret.box;
      const tokens = storedTokensSchema.parse(JSON.parse(vault.decrypt({ keyId: keyId!, iv: iv!, tag: tag!, data })));
      return tokens satisfies GoogleTokens;
    },

    async save(tokens) {
      // $set of `box` only: a save inside withRefreshLock must keep the lock.
      await SecretModel.updateOne(key, { $set: { box: vault.encrypt(JSON.stringify(tokens)) } }, { upsert: true });
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
        // Only our own lock: if it expired and another worker took it, that one is theirs.
        await SecretModel.updateOne({ ...key, 'lock.owner': owner }, { $unset: { lock: 1 } });
      }
    },
  };
}
