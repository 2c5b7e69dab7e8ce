/**
 * sweep-stale-events: every minute, enqueue processing for events that were stored but whose
 * job was never created (a crash between storing and enqueueing). Accepted work is never lost.
 */
import { z } from 'zod';
import { EventModel } from '../bot/db/models/index.ts';
import { defineJob } from './define.ts';
import { enqueueEventProcessing } from './process-event.ts';

export const SWEEP_INTERVAL = '1 minute';
const STALE_AFTER_MS = 60_000;

export const sweepStaleEventsJob = defineJob({
  name: 'sweep-stale-events',
  schema: z.object({}).passthrough(),
  concurrency: 1,
  lockLifetime: 60_000,
  async handler(_data, services) {
    const stale = await EventModel.find({ status: 'accepted', receivedAt: { $lt: new Date(Date.now() - STALE_AFTER_MS) } })
      .setOptions({ allTenants: true })
      .limit(500);
    // The unique job key makes this a no-op for events whose job exists.
    for (const event of stale) await enqueueEventProcessing(services.agenda, event);
  },
});
