/**
 * The embedded database chain, driven through the real `findo` program: mongod when it can be had,
 * FerretDB (built once with Go, cached) otherwise, and one clear line when neither can.
 *
 * `MONGOMS_SYSTEM_BINARY` pointing nowhere makes mongod unavailable at once, as on a machine that
 * cannot download it. The FerretDB binary comes from the user's cache (the test run's global setup
 * built it when it needed to).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { defaultCacheDir } from '../../bot/config.ts';
import { ferretDbBinaryPath } from '../../bot/db/ferretdb.ts';
import { runCli } from '../support/cli.ts';

const BIN = fileURLToPath(new URL('../../bin/findo.js', import.meta.url));
const NO_MONGOD = { MONGOMS_SYSTEM_BINARY: '/nonexistent/mongod' };
const hasFerretDb = existsSync(ferretDbBinaryPath(defaultCacheDir()));

const freshDataDir = () => mkdtempSync(join(tmpdir(), 'findo-embedded-'));

/** The pids of FerretDB processes serving `dataPath` (Linux /proc). */
function ferretDbPids(dataPath: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args[0]?.endsWith('ferretdb') && args.includes(`--state-dir=${dataPath}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
});

/** `findo start` as staff run it, on its embedded database; resolves with its base URL. */
async function startFindo(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await until(
    () => /"url":"(http:[^"]+)"/.exec(output)?.[1] ?? (child.exitCode !== null ? Promise.reject(new Error(output)) : undefined),
    'Findo to listen',
    60_000,
  );
  expect(output).toMatch(/"engine":"ferretdb"/);
  return { child, url };
}

const healthy = async (url: string) => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200 || undefined;

describe.skipIf(!hasFerretDb)('the embedded database without mongod', () => {
  it('falls back to FerretDB, keeps its files under FINDO_DATA_DIR, and keeps a tenant across runs', async () => {
    const dataDir = freshDataDir();
    const env = { FINDO_DATA_DIR: dataDir, ...NO_MONGOD };
    const created = await runCli(['tenant', 'create', '--name', 'Embedded Garage', '--owner-phone', '054-765-4321', '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(readdirSync(join(dataDir, 'ferretdb')).length).toBeGreaterThan(0);
    // The command started FerretDB for its own duration and stopped it.
    expect(ferretDbPids(join(dataDir, 'ferretdb'))).toEqual([]);

    const shown = await runCli(['tenant', 'show', created.json().slug, '--json'], env);
    expect(shown.code).toBe(0);
    expect(shown.json().name).toBe('Embedded Garage');
  }, 90_000);

  it('restarts a FerretDB that dies under a running Findo, losing nothing it acknowledged', async () => {
    const dataDir = freshDataDir();
    const env = { FINDO_DATA_DIR: dataDir, ...NO_MONGOD };
    const { url } = await startFindo(env);
    await until(() => healthy(url), '/healthz 200');
    const runFile = JSON.parse(readFileSync(join(dataDir, 'database.json'), 'utf8'));
    expect(runFile.engine).toBe('ferretdb');

    // Reached through the run file: the CLI talks to the running instance.
    const before = await runCli(['tenant', 'create', '--name', 'Before The Crash', '--owner-phone', '054-765-4321', '--json'], env);
    expect(before.code).toBe(0);

    const [pid] = ferretDbPids(join(dataDir, 'ferretdb'));
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await until(() => ferretDbPids(join(dataDir, 'ferretdb')).some((p) => p !== pid) || undefined, 'a new FerretDB');
    await until(() => healthy(url), '/healthz 200 after the restart');

    const after = await runCli(['tenant', 'create', '--name', 'After The Crash', '--owner-phone', '054-765-4322', '--json'], env);
    expect(after.code).toBe(0);
    const listed = await runCli(['tenant', 'list', '--json'], env);
    expect(
      listed
        .json()
        .map((t: { name: string }) => t.name)
        .sort(),
    ).toEqual(['After The Crash', 'Before The Crash']);
  }, 120_000);

  it('ends the FerretDB a killed Findo left behind before starting its own', async () => {
    const dataDir = freshDataDir();
    const env = { FINDO_DATA_DIR: dataDir, ...NO_MONGOD };
    const { child, url } = await startFindo(env);
    await until(() => healthy(url), '/healthz 200');
    const [orphan] = ferretDbPids(join(dataDir, 'ferretdb'));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(ferretDbPids(join(dataDir, 'ferretdb'))).toEqual([orphan]);

    const listed = await runCli(['tenant', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(ferretDbPids(join(dataDir, 'ferretdb'))).not.toContain(orphan);
  }, 120_000);
});

describe('the embedded database when no engine can be had', () => {
  it('says in one line how to fix it, exits 1, and prints no stack trace', async () => {
    const dataDir = freshDataDir();
    const result = await runCli(['tenant', 'list'], {
      FINDO_DATA_DIR: dataDir,
      FINDO_CACHE_DIR: join(dataDir, 'cache'),
      FINDO_GO: join(dataDir, 'no-go'),
      ...NO_MONGOD,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^findo: embedded database unavailable: no mongod at MONGOMS_SYSTEM_BINARY=.*; Go not found at FINDO_GO=.*Set MONGODB_URI .*install Go/,
    );
  }, 60_000);
});

describe('a running embedded instance', () => {
  it('is reached by CLI commands through the run file in FINDO_DATA_DIR', async () => {
    const dataDir = freshDataDir();
    // What a running `findo start` writes: its database's URI and its own pid (alive: this process).
    const server = new URL(inject('mongoUri'));
    server.pathname = '/';
    writeFileSync(
      join(dataDir, 'database.json'),
      JSON.stringify({ uri: server.toString(), pid: process.pid, engine: 'mongod', dataPath: dataDir }),
    );
    const env = { FINDO_DATA_DIR: dataDir, FINDO_GO: join(dataDir, 'no-go'), ...NO_MONGOD };
    const name = `Run File Salon ${Date.now()}`;
    const created = await runCli(['tenant', 'create', '--name', name, '--owner-phone', '054-765-4321', '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const shown = await runCli(['tenant', 'show', created.json().slug, '--json'], env);
    expect(shown.json().name).toBe(name);
  }, 60_000);
});
