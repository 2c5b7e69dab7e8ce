/** Runs work while holding a short database lock with an expiry (see bot/db/models/lock.ts). */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDuplicateKey, LockModel } from './db/models/index.ts';

/**
 * How long whatever a worker holds — a lock, an inbox lease, an Agenda job lock — outlives the
 * worker when it dies without letting go: running work renews it, so this is how soon any other
 * worker takes the dead one's work (plus a poll): within 30 s.
 */
export const CLAIM_LIFETIME_MS = 20_000;

/** The lock scope of process-level (not tenant) locks. */
export const SYSTEM_SCOPE = '*';

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

export interface LockOptions {
  /** How long the lock holds if its owner dies (default {@link CLAIM_LIFETIME_MS}). */
  ttlMs?: number;
  /** How long to wait for it (default 20 s); then LockTimeoutError, and the job retries. */
  waitMs?: number;
  /** Who holds it (default: this process's holder and a one-off id); a stable owner can renew or clear its locks later. */
  owner?: string;
}

/**
 * Whose locks this process takes by default: its worker identity once it has one
 * (bot/inbox/identity.ts), so that identity's restart clears what its dead previous life held at
 * once, instead of after the locks' expiry. Each hold adds a one-off suffix.
 */
let holder = `pid:${process.pid}`;

export function setLockHolder(name: string): void {
  holder = name;
}

export async function withLock<T>(tenantId: string, key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { ttlMs = CLAIM_LIFETIME_MS, waitMs = 20_000, owner = `${holder}/${randomUUID()}` } = options;
  const deadline = Date.now() + waitMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    try {
      await LockModel.create({ tenantId, key, owner, until: new Date(Date.now() + ttlMs) });
      break;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Clear a lock whose holder died; the unique key still lets only one of us take it. Having
      // cleared one, try again even when not waiting.
      const { deletedCount } = await LockModel.deleteOne({ tenantId, key, until: { $lt: new Date() } });
      if (deletedCount === 0 && Date.now() > deadline) throw new LockTimeoutError(`lock ${key} is busy`);
      await sleep(delay);
    }
  }
  // Work under a lock may outlast its lifetime (a Claude call can take a minute): while it runs, the
  // lock is pushed forward, so only a dead holder's lock lapses. A failed renewal is retried on the
  // next tick; the unique key still keeps a second holder out until the lock really lapsed.
  const renewal = setInterval(() => {
    LockModel.updateOne({ tenantId, key, owner }, { $set: { until: new Date(Date.now() + ttlMs) } }).catch(() => undefined);
  }, ttlMs / 3);
  // Never what keeps a stopping process alive: its shutdown has its own bound.
  renewal.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renewal);
    await LockModel.deleteOne({ tenantId, key, owner });
  }
}

/** Clears every lock a stable `owner` holds, itself or as the holder of one-off owners: its previous life died holding them. */
export async function clearLocksOf(owner: string): Promise<void> {
  const heldFor = new RegExp(`^${owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);
  await LockModel.deleteMany({ $or: [{ owner }, { owner: heldFor }] }).setOptions({ allTenants: true });
}
