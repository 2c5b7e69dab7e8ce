/**
 * A worker's stable identity across restarts: `findo-<role>@<host>`, plus `#<FINDO_WORKER_ID>` when
 * set (give each worker on one host its own). Claims (inbox items, event locks, Agenda job locks)
 * carry it, so a worker that starts again under the same identity takes back what its previous
 * life held at once, instead of waiting for leases to expire.
 *
 * The identity is registered as a lock renewed while the worker lives. Starting under an identity
 * whose holder is still alive (another process on this host, or another instance in this process)
 * must not steal its live claims: the newcomer then runs under a one-off identity and reclaims nothing.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { isDuplicateKey, LockModel } from '../db/models/index.ts';
import { SYSTEM_SCOPE } from '../locks.ts';
import { LEASE_MS } from './queue.ts';

/** This process's life: its pid and when it started (a pid alone is reused, e.g. pid 1 in containers). */
const THIS_LIFE = `${process.pid}:${Math.round(performance.timeOrigin)}`;

export interface WorkerIdentity {
  name: string;
  /** True when a previous life of this identity is dead and its claims are to be taken back. */
  reclaim: boolean;
  /** Stops renewing the registration and removes it (a clean stop). */
  release(): Promise<void>;
}

export const baseIdentity = (role: string, workerId = process.env.FINDO_WORKER_ID): string =>
  `findo-${role}@${hostname()}${workerId ? `#${workerId}` : ''}`;

function isAlive(life: string): boolean {
  if (life === THIS_LIFE) return true;
  const pid = Number(life.split(':')[0]);
  if (!Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function registerWorker(base: string): Promise<WorkerIdentity> {
  const key = `worker:${base}`;
  const until = () => new Date(Date.now() + LEASE_MS);
  const held = (name: string, reclaim: boolean, lockKey: string): WorkerIdentity => {
    const renewal = setInterval(() => {
      LockModel.updateOne({ tenantId: SYSTEM_SCOPE, key: lockKey, owner: THIS_LIFE }, { $set: { until: until() } }).catch(() => {});
    }, LEASE_MS / 4);
    return {
      name,
      reclaim,
      release: async () => {
        clearInterval(renewal);
        await LockModel.deleteOne({ tenantId: SYSTEM_SCOPE, key: lockKey, owner: THIS_LIFE });
      },
    };
  };
  try {
    await LockModel.create({ tenantId: SYSTEM_SCOPE, key, owner: THIS_LIFE, until: until() });
    // Nobody held it: a previous life, if any, stopped cleanly or died longer than a lease ago.
    return held(base, true, key);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const holder = await LockModel.findOne({ tenantId: SYSTEM_SCOPE, key });
  if (holder && (holder.until < new Date() || !isAlive(holder.owner))) {
    const taken = await LockModel.updateOne(
      { tenantId: SYSTEM_SCOPE, _id: holder._id, owner: holder.owner },
      { $set: { owner: THIS_LIFE, until: until() } },
    );
    if (taken.modifiedCount === 1) return held(base, true, key);
  }
  const oneOff = `${base}~${randomBytes(3).toString('hex')}`;
  await LockModel.create({ tenantId: SYSTEM_SCOPE, key: `worker:${oneOff}`, owner: THIS_LIFE, until: until() });
  return held(oneOff, false, `worker:${oneOff}`);
}
