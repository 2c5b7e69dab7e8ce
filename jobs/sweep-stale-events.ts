/**
 * sweep-stale-events: every minute, put back into the inbox events that were stored but never
 * entered it (a crash between the two writes). Accepted work is never lost.
 *
 * It reads `accepted` events older than a minute by the (status, receivedAt) index, oldest
 * first, in batches, and stops early well inside its lock; the next run goes on from there.
 */
import { EventModel } from '../bot/db/models/index.ts';
import { enqueueEvent, pendingAmong } from '../bot/inbox/queue.ts';
import { defineJob } from './define.ts';

export const SWEEP_INTERVAL = '1 minute';
const STALE_AFTER_MS = 60_000;
const BATCH = 200;
/** Stop after this long: far inside the job lock, which the run keeps alive anyway. */
const TIME_BUDGET_MS = 10_000;

export const sweepStaleEventsJob = defineJob('sweep-stale-events', async () => {
  const started = Date.now();
  let after = new Date(0);
  const before = new Date(started - STALE_AFTER_MS);
  while (Date.now() - started < TIME_BUDGET_MS) {
    const batch = await EventModel.find(
      { status: 'accepted', receivedAt: { $gt: after, $lt: before } },
      { tenantId: 1, provider: 1, replays: 1, receivedAt: 1 },
    )
      .setOptions({ allTenants: true })
      .sort({ receivedAt: 1 })
      .limit(BATCH);
    if (batch.length === 0) return;
    const pending = await pendingAmong(batch.map((event) => event.id));
    for (const event of batch) if (!pending.has(event.id)) await enqueueEvent(event);
    if (batch.length < BATCH) return;
    after = batch[batch.length - 1].receivedAt;
  }
});
