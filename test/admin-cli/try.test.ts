/**
 * `findo try` driven as a user would, as a child process: lines on stdin (not a terminal, so the
 * chat reads them one by one). The missed call → the customer's answer → the lead → the owner's
 * alert → the owner's commands → approving a review draft, each message seen in the output; then
 * nothing is left running: no database process, no open port, no data folder.
 *
 * The demo uses whatever embedded engine the machine has (the chain `findo start` uses). Hebrew
 * reaches the terminal in display order, so the output is searched for words written backwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../../integrations/anthropic/fake-server.ts';

const BIN = fileURLToPath(new URL('../../bin/findo.js', import.meta.url));

/** A Hebrew word as a terminal shows it: its letters from right to left. */
const shown = (word: string) => [...word].reverse().join('');

interface TryRun {
  child: ChildProcess;
  /** Everything printed so far. */
  output: () => string;
  exited: Promise<number | null>;
  /** The folder the demo's temporary files go in (its TMPDIR). */
  tmp: string;
}

const runs: TryRun[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    rmSync(run.tmp, { recursive: true, force: true });
  }
});

function startTry(env: Record<string, string> = {}, args: string[] = []): TryRun {
  const tmp = mkdtempSync(join(tmpdir(), 'findo-try-test-'));
  const child = spawn(process.execPath, [BIN, 'try', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, output: () => output, exited, tmp };
  runs.push(run);
  return run;
}

async function until(check: () => boolean, what: string, run: TryRun, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`no ${what} in:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The loopback ports the demo announced (Findo, fake WhatsApp, fake Google). */
const announcedPorts = (output: string) => [...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** Processes whose command line names `path` (the embedded database's, whichever engine). */
function processesUsing(path: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return cmdline.includes(path) ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return [];
      }
    });
}

async function expectNothingLeft(run: TryRun, ports: number[]): Promise<void> {
  expect(run.output()).toContain('nothing is left running');
  for (const port of ports) expect(await portOpen(port), `port ${port}`).toBe(false);
  expect(processesUsing(run.tmp)).toEqual([]);
  // tsx keeps its compile cache there too; the demo's data folder must be gone.
  expect(readdirSync(run.tmp).filter((name) => name.startsWith('findo-try-'))).toEqual([]);
}

describe('findo try', () => {
  it('plays missed call → lead → owner alert → owner commands → approved review reply → 5★ review → invoice, then leaves nothing running', async () => {
    const run = startTry();
    run.child.stdin!.end(
      [
        '/wait שלום',
        'אני דני, צריך תיקון לדוד שמש, אפשר מחר אחרי 4',
        '/wait תודה',
        '/owner',
        '/wait ליד חדש',
        '/wait יוסי כהן',
        'עזרה',
        '/wait מה אפשר לעשות מכאן',
        'לידים',
        '/wait הלידים האחרונים',
        'אשר',
        '/wait פורסמה בגוגל',
        '/review 9',
        '/review 5',
        '/wait פרסמנו תשובה אוטומטית',
        '/invoice',
        '/wait ביקורת קצרה',
        '/customer',
        '',
      ].join('\n'),
    );
    expect(await run.exited, run.output()).toBe(0);
    const output = run.output();

    expect(output).toContain('no ANTHROPIC_API_KEY is set, so Findo uses its built-in texts');
    // Each step, in order (a bubble's footer comes under its text): the missed-call template, the
    // customer's answer, the thanks, the switch to the owner, the lead alert, the review draft, the
    // help menu, the leads list, the owner told the approved reply is on Google; a bad command
    // refused; a 5★ review answered on its own; an invoice's review request on the customer's phone.
    const steps = [
      shown('שהתקשרת'),
      'template findo_missed_call',
      shown('אני דני'),
      shown('הפרטים'),
      'You now hold the owner’s phone',
      shown('חדש'),
      'template findo_owner_alert',
      shown('שעתיים'),
      shown('מכאן'),
      shown('האחרונים'),
      shown('פורסמה'),
      '✗ usage: /review N',
      shown('אוטומטית'),
      'A new WhatsApp message on the customer’s phone',
      'You now hold the customer’s phone',
      shown('קצרה'),
      'template findo_review_request',
    ];
    const positions = steps.map((step) => output.indexOf(step));
    expect(
      positions.every((p) => p >= 0),
      `missing ${steps.filter((_, i) => positions[i] < 0).join(', ')} in:\n${output}`,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The side lines: Findo's jobs and its activity feed, the reply on Google among them.
    expect(output).toMatch(/⚙ job missed-call-followup ran/);
    expect(output).toMatch(/⚙ complete lead from \+972527659876/);
    expect(output).toMatch(/⚙ reply to .+ posted/);
    expect(output).toMatch(/⚙ automatic reply to Dana Levi posted/);

    expect(announcedPorts(output)).toHaveLength(3);
    await expectNothingLeft(run, announcedPorts(output));
  });

  it('with an ANTHROPIC_API_KEY, Findo asks Claude (here a fake of its API) and the demo says so', async () => {
    const claude = await startFakeAnthropic();
    const scriptDir = mkdtempSync(join(tmpdir(), 'findo-try-script-'));
    try {
      // The lines from a file this time (--script), the same way as from stdin.
      const script = join(scriptDir, 'chat.txt');
      writeFileSync(script, ['/wait שלום', 'אני דני, צריך תיקון לדוד שמש', '/wait נוח', ''].join('\n'));
      const run = startTry({ ANTHROPIC_API_KEY: 'sk-ant-try-test', ANTHROPIC_BASE_URL: claude.url }, ['--script', script]);
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toContain('Texts: written by Claude');
      expect(run.output()).not.toContain('sk-ant-try-test');
      expect(claude.requests.length).toBeGreaterThan(0);
      // The fake's answer ("ok") is not usable: Findo's warning shows among the side lines.
      expect(run.output()).toContain('⚠ AI output not used; rules instead');
    } finally {
      await claude.close();
      rmSync(scriptDir, { recursive: true, force: true });
    }
  });

  it('refuses a --script file that does not exist, before starting anything', async () => {
    const run = startTry({}, ['--script', '/nonexistent/chat.txt']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('findo: --script: no file /nonexistent/chat.txt');
    expect(run.output()).not.toContain('starting Findo');
  });

  it('Ctrl-C stops Findo, its database and the fakes', async () => {
    const run = startTry();
    await until(() => run.output().includes(shown('שהתקשרת')), 'missed-call message', run);
    const ports = announcedPorts(run.output());
    expect(ports).toHaveLength(3);
    expect(processesUsing(run.tmp).length).toBeGreaterThan(0);

    run.child.kill('SIGINT');
    expect(await run.exited, run.output()).toBe(0);
    await expectNothingLeft(run, ports);
  });

  it('Ctrl-C while it starts stops what was started, and no chat begins', async () => {
    const run = startTry();
    await until(() => run.output().includes('starting Findo'), 'start line', run);
    run.child.kill('SIGINT');
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).not.toContain('You call');
    await expectNothingLeft(run, announcedPorts(run.output()));
  });
});
