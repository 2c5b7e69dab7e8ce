/**
 * FerretDB v1.24.2 on SQLite: the embedded database where `mongod` cannot be had (air-gapped
 * machines, CI behind a proxy). It speaks MongoDB's wire protocol, so the rest of Findo cannot tell.
 *
 * It is built once from the Go module proxy and cached; `go install …@v1.24.2` alone builds a
 * binary that panics at start ("Invalid build/version/version.txt file content") because the module
 * lacks the version file FerretDB's own build writes, so the build adds it to a copy of the module.
 * It runs as a supervised child process on loopback: restarted when it dies, stopped with Findo.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Logger } from '../logger.ts';

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
/** Where Go usually lives when it is installed but not on PATH (go.dev's install instructions). */
const USUAL_GO = '/usr/local/go/bin/go';

/** Why FerretDB cannot be had: the message names what is missing. */
export class FerretDbUnavailableError extends Error {
  override name = 'FerretDbUnavailableError';
}

export const ferretDbBinaryPath = (cacheDir: string) => join(cacheDir, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');

/** The Go toolchain: `goBinary` when given, else `go` on PATH, else the usual install location. */
export function findGo(goBinary?: string): string | null {
  if (goBinary) return existsSync(goBinary) ? goBinary : null;
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'go'))
    .find((candidate) => existsSync(candidate));
  return onPath ?? (existsSync(USUAL_GO) ? USUAL_GO : null);
}

/**
 * The cached FerretDB binary, built first when missing. The build takes a minute or two on a cold
 * Go cache, so it reports what it does and the elapsed time on `progress` (a terminal, usually).
 */
export async function ensureFerretDbBinary(options: {
  cacheDir: string;
  goBinary?: string;
  progress?: NodeJS.WritableStream;
}): Promise<string> {
  const binary = ferretDbBinaryPath(options.cacheDir);
  if (existsSync(binary)) return binary;
  const go = findGo(options.goBinary);
  if (!go) throw new FerretDbUnavailableError(options.goBinary ? `Go not found at FINDO_GO=${options.goBinary}` : 'Go is not installed');

  const report = progressReporter(options.progress);
  report.start(`building the embedded database (FerretDB ${FERRETDB_VERSION}) with Go; this happens once, then it is cached in ${binary}`);
  const work = mkdtempSync(join(tmpdir(), 'findo-ferretdb-build-'));
  try {
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    const download = await run(go, ['mod', 'download', '-json', FERRETDB_MODULE], { cwd: work, env });
    const moduleDir = (JSON.parse(download) as { Dir?: string }).Dir;
    if (!moduleDir) throw new FerretDbUnavailableError(`go could not download ${FERRETDB_MODULE}`);
    const source = join(work, 'src');
    cpSync(moduleDir, source, { recursive: true });
    chmodTree(source);
    writeFileSync(join(source, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    const built = join(work, 'ferretdb');
    await run(go, ['build', '-o', built, './cmd/ferretdb'], { cwd: source, env });
    mkdirSync(join(options.cacheDir, `ferretdb-${FERRETDB_VERSION}`), { recursive: true });
    // A rename is atomic: two processes building at once never leave a half-written binary.
    renameSync(built, binary);
    report.done(`the embedded database is built`);
    return binary;
  } catch (error) {
    report.fail();
    if (error instanceof FerretDbUnavailableError) throw error;
    throw new FerretDbUnavailableError(`building FerretDB failed: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface FerretDbProcess {
  uri: string;
  stop(): Promise<void>;
}

/**
 * Runs FerretDB with its SQLite files in `dataPath`, on a free loopback port, and restarts it with
 * the same port and files whenever it exits unasked. SQLite commits before FerretDB acknowledges a
 * write, so a crash loses nothing that was acknowledged.
 */
export async function startFerretDb(options: { binary: string; dataPath: string; logger?: Logger }): Promise<FerretDbProcess> {
  const { binary, dataPath, logger } = options;
  mkdirSync(dataPath, { recursive: true });
  const port = await freePort();
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataPath}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dataPath}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
  ];
  let child: ChildProcess | undefined;
  let stopping = false;
  const recentCrashes: number[] = [];

  const launch = () => {
    const current = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = current;
    let stderr = '';
    current.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    current.on('exit', (code, signal) => {
      if (stopping || child !== current) return;
      const now = Date.now();
      recentCrashes.push(now);
      while (recentCrashes.length && recentCrashes[0] < now - 60_000) recentCrashes.shift();
      if (recentCrashes.length > 5) {
        logger?.error({ code, signal, stderr: stderr.trim() }, 'embedded FerretDB keeps exiting; not restarting it');
        return;
      }
      logger?.warn({ code, signal }, 'embedded FerretDB exited; restarting it');
      launch().catch((error: Error) => logger?.error({ err: error.message }, 'embedded FerretDB did not restart'));
    });
    return waitForPort(port, () => current.exitCode !== null || current.signalCode !== null).catch((error: Error) => {
      throw new FerretDbUnavailableError(
        `FerretDB did not start: ${error.message}${stderr ? ` (${stderr.trim().split('\n').pop()})` : ''}`,
      );
    });
  };

  await launch();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    async stop() {
      stopping = true;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const killed = setTimeout(() => current.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killed);
    },
  };
}

/**
 * Ends any FerretDB still serving `dataPath`: one left running by a Findo that was killed before it
 * could stop it. Found by command line (Linux /proc), so no other process is touched.
 */
export function stopOrphanFerretDb(dataPath: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return; // not Linux: nothing to look through
  }
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('ferretdb') && args.includes(`--state-dir=${dataPath}`)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args[0]} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
}

/** The module cache is read-only; the copy must be writable to add the version file. */
function chmodTree(dir: string): void {
  spawnSync('chmod', ['-R', 'u+w', dir]);
  chmodSync(dir, 0o755);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when `port` accepts a connection; rejects when `exited()` turns true or after 30 s. */
async function waitForPort(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the process exited');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('it did not answer within 30 s');
}

/** Progress of the one-time build: a ticking line on a terminal, a start and an end line elsewhere. */
function progressReporter(stream: NodeJS.WritableStream | undefined) {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  const tty = !!(stream as NodeJS.WriteStream | undefined)?.isTTY;
  let timer: NodeJS.Timeout | undefined;
  return {
    start(what: string) {
      if (!stream) return;
      stream.write(`findo: ${what}\n`);
      if (tty) timer = setInterval(() => stream.write(`\rfindo: building… ${elapsed()}`), 1_000);
    },
    done(what: string) {
      if (timer) clearInterval(timer);
      stream?.write(`${tty ? '\r' : ''}findo: ${what} (${elapsed()})\n`);
    },
    fail() {
      if (timer) clearInterval(timer);
      if (tty) stream?.write('\n');
    },
  };
}
