import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('the embedded database', () => {
  it('says in one line how to fix a missing mongod binary, without a stack trace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'findo-embedded-'));
    const result = await runCli(['tenant', 'list'], { FINDO_DATA_DIR: dataDir, MONGOMS_SYSTEM_BINARY: join(dataDir, 'no-such-mongod') });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^findo: embedded MongoDB unavailable: .*Set MONGODB_URI .*MONGOMS_SYSTEM_BINARY/);
  }, 60_000);
});

describe('a running embedded instance', () => {
  it('is reached by CLI commands through the run file in FINDO_DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'findo-runfile-'));
    // What a running `findo start` writes: its mongod's URI and its own pid (alive: this process).
    const server = new URL(inject('mongoUri'));
    server.pathname = '/';
    writeFileSync(join(dataDir, 'mongod.json'), JSON.stringify({ uri: server.toString(), pid: process.pid }));
    const env = { FINDO_DATA_DIR: dataDir, MONGOMS_SYSTEM_BINARY: join(dataDir, 'no-such-mongod') };
    const name = `Run File Salon ${Date.now()}`;
    const created = await runCli(['tenant', 'create', '--name', name, '--owner-phone', '054-765-4321', '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const shown = await runCli(['tenant', 'show', created.json().slug, '--json'], env);
    expect(shown.json().name).toBe(name);
  }, 60_000);
});
