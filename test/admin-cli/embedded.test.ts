import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
