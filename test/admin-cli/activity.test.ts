/** `findo activity [--follow]`: the feed, and following it by polling. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityModel, type Tenant } from '../../bot/db/models/index.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { ago, cliEnv, MINUTE, oneErrorLine, seedTenant } from './seed.ts';

const BIN = fileURLToPath(new URL('../../bin/findo.js', import.meta.url));

/** A long-running CLI process whose stdout lines can be awaited. */
class Following {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  stderr = '';
  private buffered = '';
  private waiters: (() => void)[] = [];

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...env },
    });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffered += chunk;
      const parts = this.buffered.split('\n');
      this.buffered = parts.pop()!;
      this.lines.push(...parts);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Resolves once `count` lines have been printed. */
  async waitForLines(count: number, timeout = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeout;
    while (this.lines.length < count) {
      if (this.child.exitCode !== null) throw new Error(`exited with ${this.child.exitCode}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out with ${this.lines.length} lines: ${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
    return this.lines;
  }

  /** Sends Ctrl-C and resolves with the exit code. */
  interrupt(): Promise<number | null> {
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGINT');
    });
  }
}

describe('findo activity (the real CLI as a child process)', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dani: Tenant;
  let noa: Tenant;
  const running: Following[] = [];

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    dani = await seedTenant('Dani Plumbing', 'dani-plumbing');
    noa = await seedTenant('Noa Salon', 'noa-salon');
    await ActivityModel.create({
      tenantId: dani.id,
      type: 'event.accepted',
      text: 'voicenter event call-1 accepted',
      ref: 'e1',
      at: ago(30 * MINUTE),
    });
    await ActivityModel.create({ tenantId: noa.id, type: 'lead.created', text: 'ליד חדש: רונית', at: ago(20 * MINUTE) });
    await ActivityModel.create({
      tenantId: dani.id,
      type: 'message.sent',
      text: 'findo_missed_call sent to +972527654321',
      at: ago(10 * MINUTE),
    });
    await ActivityModel.create({ tenantId: dani.id, type: 'lead.created', text: 'ליד חדש: יוסי', at: ago(5 * MINUTE) });
  });
  afterAll(async () => {
    for (const follower of running) if (follower.child.exitCode === null) follower.child.kill('SIGKILL');
    await db.close();
  });

  it('prints the newest lines, oldest first, for all tenants or one', async () => {
    const [all, daniOnly, limited, human, badLimit] = await Promise.all([
      runCli(['activity', '--json'], env),
      runCli(['activity', '--tenant', 'dani-plumbing', '--json'], env),
      runCli(['activity', '--limit', '2', '--json'], env),
      runCli(['activity', '--tenant', noa.id], env),
      runCli(['activity', '--limit', 'many'], env),
    ]);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.json().map((a: { text: string }) => a.text)).toEqual([
      'voicenter event call-1 accepted',
      'ליד חדש: רונית',
      'findo_missed_call sent to +972527654321',
      'ליד חדש: יוסי',
    ]);
    expect(Object.keys(all.json()[0]).sort()).toEqual(['at', 'id', 'ref', 'tenantId', 'text', 'type']);
    expect(all.json()[0]).toMatchObject({ tenantId: dani.id, type: 'event.accepted', ref: 'e1' });
    expect(all.json()[1].ref).toBeNull();
    expect(daniOnly.json()).toHaveLength(3);
    expect(limited.json().map((a: { text: string }) => a.text)).toEqual(['findo_missed_call sent to +972527654321', 'ליד חדש: יוסי']);
    expect(human.stdout).toMatch(/^\S+Z {2}noa-salon {2}lead\.created {2}ליד חדש: רונית\n$/);
    expect(badLimit.code).toBe(2);
    oneErrorLine(badLimit);
  });

  it('--follow --json prints a line inserted after it started, one JSON object per line, until Ctrl-C', async () => {
    const follower = new Following(['activity', '--follow', '--json', '--tenant', 'dani-plumbing', '--limit', '1'], env);
    running.push(follower);
    const [first] = await follower.waitForLines(1);
    expect(JSON.parse(first)).toMatchObject({ tenantId: dani.id, text: 'ליד חדש: יוסי' });

    // Another tenant's line, then ours: only ours is followed.
    await ActivityModel.create({ tenantId: noa.id, type: 'message.sent', text: 'not for dani' });
    await ActivityModel.create({ tenantId: dani.id, type: 'review.received', text: 'ביקורת חדשה: 5 כוכבים', ref: 'r9' });
    const lines = await follower.waitForLines(2);
    expect(JSON.parse(lines[1])).toMatchObject({ tenantId: dani.id, type: 'review.received', text: 'ביקורת חדשה: 5 כוכבים', ref: 'r9' });

    // A line stamped a moment before the last one printed (a writer on another machine) still shows, once.
    await ActivityModel.create({ tenantId: dani.id, type: 'message.sent', text: 'late writer', at: ago(2_000) });
    await follower.waitForLines(3);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // a few more polls
    expect(follower.lines.map((l) => JSON.parse(l).text)).toEqual(['ליד חדש: יוסי', 'ביקורת חדשה: 5 כוכבים', 'late writer']);

    expect(await follower.interrupt()).toBe(0);
    expect(follower.stderr).toBe('');
  });

  it('--follow for people prints readable lines', async () => {
    const follower = new Following(['activity', '--follow', '--limit', '1'], env);
    running.push(follower);
    await follower.waitForLines(1);
    await ActivityModel.create({ tenantId: noa.id, type: 'lead.created', text: 'ליד חדש: מיכל' });
    const lines = await follower.waitForLines(2);
    expect(lines[1]).toMatch(/^\S+Z {2}noa-salon {2}lead\.created {2}ליד חדש: מיכל$/);
    expect(await follower.interrupt()).toBe(0);
  });
});
