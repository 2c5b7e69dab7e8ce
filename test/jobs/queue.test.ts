/**
 * Unique enqueues (jobs/queue.ts) on the real database: many processes queuing the same business
 * object at once (a burst of calls from one caller, a replayed webhook) leave one pending run.
 * FerretDB does not make Agenda's find-or-insert upsert atomic, so the database's own unique key
 * has to decide.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import type { Tenant } from '../../bot/db/models/index.ts';
import type { JobData, JobName } from '../../jobs/catalog.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const CONCURRENT_ENQUEUES = 10;
const IN_AN_HOUR = () => new Date(Date.now() + 3_600_000);

describe('unique job enqueues', () => {
  let h: Harness;
  let tenant: Tenant;

  beforeAll(async () => {
    // No workers: the runs stay pending for the test to count.
    h = await startHarness(import.meta.filename, { role: 'web' });
    ({ tenant } = await h.createTenant());
  });
  afterAll(() => h?.stop());

  const pendingRuns = (name: JobName, data: Record<string, unknown>) =>
    mongoose.connection.db!.collection(AGENDA_COLLECTION).countDocuments({
      name,
      nextRunAt: { $ne: null },
      ...Object.fromEntries(Object.entries(data).map(([field, value]) => [`data.${field}`, value])),
    });

  /** Queues job `name` with `data` from several callers at once; returns how many runs are pending. */
  async function enqueueAtOnce<Name extends JobName>(name: Name, data: (i: number) => JobData<Name>): Promise<number> {
    await Promise.all(Array.from({ length: CONCURRENT_ENQUEUES }, (_, i) => h.findo.services.enqueue(name, data(i), { at: IN_AN_HOUR() })));
    return pendingRuns(name, data(0));
  }

  it('concurrent follow-ups for one caller leave one pending run', async () => {
    const phone = '+972527650001';
    // Each call is its own event; the caller makes them one follow-up.
    await enqueueAtOnce('missed-call-followup', (i) => ({ tenantId: tenant.id, phone, eventRef: `call-${i}` }));
    expect(await pendingRuns('missed-call-followup', { tenantId: tenant.id, phone })).toBe(1);
  });

  it('every other job with a uniqueness key keeps one pending run under concurrent enqueues', async () => {
    const tenantId = tenant.id;
    const counts = {
      'send-message': await enqueueAtOnce('send-message', () => ({ tenantId, messageRef: 'm1', sendAfter: '2026-01-01T00:00:00.000Z' })),
      'lead-silence-check': await enqueueAtOnce('lead-silence-check', () => ({ tenantId, conversationRef: 'c1', seq: 1 })),
      'review-request': await enqueueAtOnce('review-request', () => ({ tenantId, requestRef: 'r1', step: 'request' })),
      'review-check': await enqueueAtOnce('review-check', () => ({ tenantId })),
      'post-review-reply': await enqueueAtOnce('post-review-reply', () => ({ tenantId, reviewRef: 'v1' })),
      'approval-reminder': await enqueueAtOnce('approval-reminder', () => ({ tenantId, conversationRef: 'c2' })),
      'owner-welcome': await enqueueAtOnce('owner-welcome', () => ({ tenantId })),
    };
    expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((name) => [name, 1])));
  });
});
