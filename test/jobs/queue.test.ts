/**
 * Unique enqueues (jobs/queue.ts) on the real database: many processes queuing the same business
 * object at once (a burst of calls from one caller, a replayed webhook) leave one pending run.
 * FerretDB does not make Agenda's find-or-insert upsert atomic, so the database's own unique key
 * has to decide.
 */
import { ObjectId } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import type { Tenant } from '../../bot/db/models/index.ts';
import { CLAIM_LIFETIME_MS } from '../../bot/locks.ts';
import type { JobData, JobName } from '../../jobs/catalog.ts';
import { JOB_KEY_COLLECTION, keyPendingRuns } from '../../jobs/queue.ts';
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

  const jobs = () => mongoose.connection.db!.collection(AGENDA_COLLECTION);
  const keys = () => mongoose.connection.db!.collection<{ _id: string; jobId: ObjectId; at: Date }>(JOB_KEY_COLLECTION);
  const runsOf = (name: JobName, field: string, value: string) =>
    jobs()
      .find({ name, [`data.${field}`]: value })
      .toArray();

  // The states below are what Agenda writes as a run goes (no workers run here): started, a
  // `nextRunAt` of null and a lock; failed for good, neither; succeeded, removed.
  const started = { $set: { nextRunAt: null, lockedAt: new Date() } };
  const failedForGood = { $set: { nextRunAt: null, lockedAt: null, failedAt: new Date(), failCount: 9 } };

  it('a started run frees a pending-only key, and holds any other key while it runs', async () => {
    const followup = { tenantId: tenant.id, phone: '+972527650002', eventRef: 'call-a' };
    await h.findo.services.enqueue('missed-call-followup', followup, { at: IN_AN_HOUR() });
    await jobs().updateOne({ name: 'missed-call-followup', 'data.phone': followup.phone }, started);
    await enqueueAtOnce('missed-call-followup', (i) => ({ ...followup, eventRef: `call-b${i}` }));
    // The running one and one new pending run.
    expect(await runsOf('missed-call-followup', 'phone', followup.phone)).toHaveLength(2);
    expect(await pendingRuns('missed-call-followup', { phone: followup.phone })).toBe(1);

    const check = { tenantId: tenant.id, conversationRef: 'c-running', seq: 1 };
    await h.findo.services.enqueue('lead-silence-check', check, { at: IN_AN_HOUR() });
    await jobs().updateOne({ name: 'lead-silence-check', 'data.conversationRef': check.conversationRef }, started);
    await enqueueAtOnce('lead-silence-check', () => check);
    expect(await runsOf('lead-silence-check', 'conversationRef', check.conversationRef)).toHaveLength(1);
  });

  it('a run that failed for good frees its key', async () => {
    const check = { tenantId: tenant.id, conversationRef: 'c-failed', seq: 1 };
    await h.findo.services.enqueue('lead-silence-check', check, { at: IN_AN_HOUR() });
    await jobs().updateOne({ name: 'lead-silence-check', 'data.conversationRef': check.conversationRef }, failedForGood);
    expect(await enqueueAtOnce('lead-silence-check', () => check)).toBe(1);
    expect(await runsOf('lead-silence-check', 'conversationRef', check.conversationRef)).toHaveLength(2);
  });

  it('cancelled runs free their keys', async () => {
    const check = { tenantId: tenant.id, conversationRef: 'c-cancelled', seq: 1 };
    await h.findo.services.enqueue('lead-silence-check', check, { at: IN_AN_HOUR() });
    await h.findo.services.cancelJobs('lead-silence-check', { conversationRef: check.conversationRef });
    expect(await pendingRuns('lead-silence-check', { conversationRef: check.conversationRef })).toBe(0);
    expect(await enqueueAtOnce('lead-silence-check', () => check)).toBe(1);
  });

  it('a key whose enqueue died before writing its run holds only for a claim lifetime', async () => {
    const welcome = { tenantId: new ObjectId().toHexString() };
    const keyId = `owner-welcome:${JSON.stringify({ 'data.tenantId': welcome.tenantId })}`;
    await keys().insertOne({ _id: keyId, jobId: new ObjectId(), at: new Date() });
    // Its enqueue may still be between its two writes: the key holds.
    expect(await enqueueAtOnce('owner-welcome', () => welcome)).toBe(0);

    await keys().updateOne({ _id: keyId }, { $set: { at: new Date(Date.now() - CLAIM_LIFETIME_MS) } });
    expect(await enqueueAtOnce('owner-welcome', () => welcome)).toBe(1);
    const [run] = await runsOf('owner-welcome', 'tenantId', welcome.tenantId);
    expect(await keys().findOne({ _id: keyId })).toMatchObject({ jobId: run!._id });
  });

  it('a pending run queued before keys existed gets its key when a worker starts, and absorbs the next enqueue', async () => {
    const check = { tenantId: tenant.id, conversationRef: 'c-before-keys', seq: 1 };
    // As Agenda's own unique upsert wrote it, with no key document.
    await jobs().insertOne({
      name: 'lead-silence-check',
      data: check,
      type: 'normal',
      priority: 0,
      nextRunAt: IN_AN_HOUR(),
      lockedAt: null,
    });
    expect(await keyPendingRuns()).toBe(1);
    expect(await keyPendingRuns()).toBe(0);
    expect(await enqueueAtOnce('lead-silence-check', () => check)).toBe(1);
    expect(await runsOf('lead-silence-check', 'conversationRef', check.conversationRef)).toHaveLength(1);
  });
});
