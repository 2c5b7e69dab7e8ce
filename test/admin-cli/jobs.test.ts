import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { ObjectId, type Document } from 'mongodb';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { ago, cliEnv, HOUR, MINUTE, oneErrorLine } from './seed.ts';

const JOB_FIELDS = [
  'id',
  'name',
  'state',
  'data',
  'nextRunAt',
  'lastRunAt',
  'lastFinishedAt',
  'lockedAt',
  'failCount',
  'failReason',
  'failedAt',
  'repeatInterval',
].sort();

describe('findo jobs (the real CLI as a child process)', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  const ids: Record<string, string> = {};
  const agendaJobs = () => mongoose.connection.db!.collection('agendaJobs');
  const stored = (key: string) => agendaJobs().findOne({ _id: new ObjectId(ids[key]) });

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    // Agenda's documents as Agenda writes them, one per state (inserted in this order: newest last).
    const jobs: Record<string, Document> = {
      done: {
        name: 'process-event',
        data: { tenantId: 't1', eventRef: 'e0', generation: 0 },
        type: 'normal',
        priority: 0,
        nextRunAt: null,
        lastRunAt: ago(3 * HOUR),
        lastFinishedAt: ago(3 * HOUR),
        failCount: 0,
      },
      failed: {
        name: 'send-message',
        data: { tenantId: 't1', messageRef: 'm1' },
        type: 'normal',
        priority: 0,
        nextRunAt: null,
        lastRunAt: ago(2 * HOUR),
        lastFinishedAt: ago(2 * HOUR),
        failCount: 9,
        failReason: 'WhatsApp 131049: ecosystem limit',
        failedAt: ago(2 * HOUR),
      },
      stuck: {
        name: 'process-event',
        data: { tenantId: 't1', eventRef: 'e1', generation: 0 },
        type: 'normal',
        priority: 0,
        nextRunAt: ago(HOUR),
        lockedAt: ago(HOUR),
        lastRunAt: ago(HOUR),
      },
      running: {
        name: 'process-event',
        data: { tenantId: 't1', eventRef: 'e2', generation: 0 },
        type: 'normal',
        priority: 0,
        nextRunAt: ago(10_000),
        lockedAt: ago(5_000),
        lastRunAt: ago(5_000),
      },
      scheduled: {
        name: 'send-message',
        data: { tenantId: 't1', messageRef: 'm2' },
        type: 'normal',
        priority: 0,
        nextRunAt: new Date(Date.now() + 20 * HOUR),
      },
      retrying: {
        name: 'send-message',
        data: { tenantId: 't2', messageRef: 'm3' },
        type: 'normal',
        priority: 0,
        nextRunAt: new Date(Date.now() + 5 * MINUTE),
        lastRunAt: ago(MINUTE),
        lastFinishedAt: ago(MINUTE),
        failCount: 2,
        failReason: 'rate limited',
        failedAt: ago(MINUTE),
      },
    };
    for (const [key, job] of Object.entries(jobs)) {
      ids[key] = String((await agendaJobs().insertOne({ ...job })).insertedId);
    }
  });
  afterAll(() => db.close());

  it('lists jobs newest first with their run and failure fields', async () => {
    const result = await runCli(['jobs', 'list', '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const jobs = result.json();
    expect(jobs.map((j: { id: string }) => j.id)).toEqual(
      ['retrying', 'scheduled', 'running', 'stuck', 'failed', 'done'].map((k) => ids[k]),
    );
    for (const job of jobs) expect(Object.keys(job).sort()).toEqual(JOB_FIELDS);
    const byId = Object.fromEntries(jobs.map((j: { id: string }) => [j.id, j]));
    expect(byId[ids.failed]).toMatchObject({
      name: 'send-message',
      state: 'failed',
      data: { tenantId: 't1', messageRef: 'm1' },
      nextRunAt: null,
      failCount: 9,
      failReason: 'WhatsApp 131049: ecosystem limit',
      lockedAt: null,
    });
    expect(byId[ids.stuck]).toMatchObject({ state: 'stuck', lockedAt: expect.any(String), failCount: 0, failReason: null });
    expect(byId[ids.running].state).toBe('running');
    expect(byId[ids.scheduled].state).toBe('scheduled');
    expect(byId[ids.retrying].state).toBe('retrying');
    expect(byId[ids.done].state).toBe('done');
  });

  it('filters by name and by failure', async () => {
    const [failed, named, both, human] = await Promise.all([
      runCli(['jobs', 'list', '--failed', '--json'], env),
      runCli(['jobs', 'list', '--name', 'process-event', '--json'], env),
      runCli(['jobs', 'list', '--name', 'process-event', '--failed', '--json'], env),
      runCli(['jobs', 'list', '--failed'], env),
    ]);
    const idsOf = (r: typeof failed) => r.json().map((j: { id: string }) => j.id);
    expect(idsOf(failed)).toEqual([ids.retrying, ids.failed]);
    expect(idsOf(named)).toEqual([ids.running, ids.stuck, ids.done]);
    expect(idsOf(both)).toEqual([]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('WhatsApp 131049');
  });

  it('retries a failed job: due now, failure cleared', async () => {
    const result = await runCli(['jobs', 'retry', ids.failed, '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      id: ids.failed,
      name: 'send-message',
      previousState: 'failed',
      previousFailReason: 'WhatsApp 131049: ecosystem limit',
      failCount: 0,
      failReason: null,
      lockedAt: null,
    });
    const job = await stored('failed');
    expect(job!.failCount).toBe(0);
    expect(job!.failReason).toBeUndefined();
    expect(job!.failedAt).toBeUndefined();
    expect(Math.abs(job!.nextRunAt.getTime() - Date.now())).toBeLessThan(MINUTE);
    expect(job!.data).toEqual({ tenantId: 't1', messageRef: 'm1' });
  });

  it('retries a stuck job: its dead lock is released and it runs now', async () => {
    const result = await runCli(['jobs', 'retry', ids.stuck], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/was stuck; it runs at the next worker poll/);
    const job = await stored('stuck');
    expect(job!.lockedAt ?? null).toBeNull();
    expect(Math.abs(job!.nextRunAt.getTime() - Date.now())).toBeLessThan(MINUTE);
  });

  it('leaves running and scheduled jobs alone (exit 1), and rejects bad ids (exit 2)', async () => {
    // Running means locked within the (short) lock lifetime: as a live worker keeps renewing it.
    await agendaJobs().updateOne({ _id: new ObjectId(ids.running) }, { $set: { lockedAt: new Date() } });
    const before = await agendaJobs().find({}).sort({ _id: 1 }).toArray();
    const [running, scheduled, missing, malformed] = await Promise.all([
      runCli(['jobs', 'retry', ids.running], env),
      runCli(['jobs', 'retry', ids.scheduled], env),
      runCli(['jobs', 'retry', '0123456789abcdef01234567'], env),
      runCli(['jobs', 'retry', 'send-message'], env),
    ]);
    expect(running.code).toBe(1);
    expect(oneErrorLine(running)).toMatch(/^findo: job \w+ \(process-event\) is running .*; nothing to retry$/);
    expect(scheduled.code).toBe(1);
    expect(oneErrorLine(scheduled)).toMatch(/is scheduled for .* and has not failed; nothing to retry$/);
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing)).toBe('findo: no job with id 0123456789abcdef01234567');
    expect(malformed.code).toBe(2);
    oneErrorLine(malformed);
    const badLimit = await runCli(['jobs', 'list', '--limit', '-3'], env);
    expect(badLimit.code).toBe(2);
    expect(await agendaJobs().find({}).sort({ _id: 1 }).toArray()).toEqual(before);
  });
});
