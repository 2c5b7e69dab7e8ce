/**
 * Lifecycle under faults (issue 15): a second `findo start` on a busy port exits 1 with one line
 * before it starts any job worker; SIGTERM stops Findo within a bound even when its database hangs. Real `findo start` child processes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import { runCli } from '../support/cli.ts';
import { testDatabaseUri, TEST_MASTER_KEY, uniqueDbName } from '../support/database.ts';
import { eventually } from '../support/harness.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const BIN = fileURLToPath(new URL('../../bin/findo.js', import.meta.url));
const baseEnv = { FINDO_MASTER_KEY: TEST_MASTER_KEY, HOST: '127.0.0.1', FINDO_JOB_POLL_INTERVAL: '100', LOG_LEVEL: 'silent' };

describe('findo start and stop under faults', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('a second start on a busy port exits 1 with one line, before starting any job worker', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => busy.close(resolve)));
    const port = (busy.address() as { port: number }).port;
    const dbName = uniqueDbName(import.meta.filename);

    const started = Date.now();
    const result = await runCli(['start', '--port', String(port)], { ...baseEnv, MONGODB_URI: testDatabaseUri(dbName) });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `findo: port ${port} on 127.0.0.1 is already in use (another findo start?): stop it, or choose another with --port or PORT`,
    ]);
    expect(Date.now() - started).toBeLessThan(30_000);
    // Workers schedule the recurring jobs when they start: none were.
    const db = mongoose.createConnection(testDatabaseUri(dbName));
    cleanups.push(() => db.close());
    expect(await db.collection(AGENDA_COLLECTION).countDocuments()).toBe(0);
  }, 60_000);

  /**
   * Starts `findo start` on a database behind a proxy, stalls the proxy once the process logged
   * `stallAfter`, sends SIGTERM, and returns the exit code and how long the exit took.
   */
  async function stopWhileDatabaseHangs(stallAfter: string): Promise<{ code: number | null; tookMs: number }> {
    const dbName = uniqueDbName(import.meta.filename);
    const direct = new URL(testDatabaseUri(dbName));
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
    cleanups.push(() => proxy.close());
    direct.host = `127.0.0.1:${proxy.port}`;
    const portServer = createServer();
    await new Promise<void>((resolve) => portServer.listen(0, '127.0.0.1', resolve));
    const port = (portServer.address() as { port: number }).port;
    await new Promise((resolve) => portServer.close(resolve));
    const child = spawn(process.execPath, [BIN, 'start', '--port', String(port)], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...baseEnv, LOG_LEVEL: 'info', MONGODB_URI: direct.toString() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(async () => output.includes(stallAfter), 40_000, `"${stallAfter}" logged`);

    proxy.stall();
    const stopping = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, tookMs: Date.now() - stopping };
  }

  it('SIGTERM stops a running Findo within 20 s while the database hangs', async () => {
    const { code, tookMs } = await stopWhileDatabaseHangs('Findo started');
    console.log(`SIGTERM with the database hanging: exited ${code} after ${tookMs} ms`);
    expect(tookMs).toBeLessThan(20_000);
    expect(code).toBe(0);
  }, 90_000);

  it('SIGTERM stops a Findo still starting within 20 s while the database hangs', async () => {
    // Listening, but the workers still set up their jobs on the database when it stops answering.
    const { code, tookMs } = await stopWhileDatabaseHangs('Findo is listening');
    console.log(`SIGTERM while starting, with the database hanging: exited ${code} after ${tookMs} ms`);
    expect(tookMs).toBeLessThan(20_000);
    expect(code).toBe(0);
  }, 90_000);
});
