/**
 * Conversation locks on the real database: work that outlasts the lock's lifetime keeps it, so a
 * second message cannot slip in mid-way (a Claude call may take longer than the lock lives).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockTimeoutError, withLock } from '../../bot/locks.ts';
import { connectTestDatabase } from '../support/database.ts';

let close: () => Promise<void>;
beforeAll(async () => {
  ({ close } = await connectTestDatabase(import.meta.filename));
});
afterAll(async () => {
  await close?.();
});

describe('withLock', () => {
  it('keeps the lock while the work runs past its lifetime', async () => {
    const ttlMs = 600;
    let secondGotIn = false;
    const first = withLock('tenant-a', 'conversation:1', () => sleep(ttlMs * 3), { ttlMs });
    await sleep(ttlMs * 2);
    // Two lifetimes in: without renewal the lock has lapsed and would be cleared and taken here.
    const second = withLock(
      'tenant-a',
      'conversation:1',
      async () => {
        secondGotIn = true;
      },
      { ttlMs, waitMs: 0 },
    );
    await expect(second).rejects.toBeInstanceOf(LockTimeoutError);
    expect(secondGotIn).toBe(false);
    await first;
    await withLock(
      'tenant-a',
      'conversation:1',
      async () => {
        secondGotIn = true;
      },
      { ttlMs, waitMs: 1_000 },
    );
    expect(secondGotIn).toBe(true);
  });

  it('lets a dead holder’s lock lapse after its lifetime', async () => {
    const { LockModel } = await import('../../bot/db/models/index.ts');
    await LockModel.create({ tenantId: 'tenant-a', key: 'conversation:2', owner: 'dead/1', until: new Date(Date.now() + 300) });
    await sleep(400);
    await expect(withLock('tenant-a', 'conversation:2', async () => 'taken', { waitMs: 0 })).resolves.toBe('taken');
  });
});
