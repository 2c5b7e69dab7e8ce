/**
 * Webhook benchmark (spec §8: p99 ≤ 50 ms at 200 requests/s, DB on the same machine).
 *
 *   MONGODB_URI=mongodb://127.0.0.1:27017/findo npm run bench:webhooks
 *
 * Starts, each in its own child process, the real Findo service (role `all`: HTTP and job workers,
 * so every accepted event is also processed during the run) on a fresh database, and a bare
 * `node:http` server that answers the same JSON without doing anything, as the floor of what this
 * machine can do. autocannon (in this process) then POSTs realistic Voicenter missed-call CDRs,
 * each with its own call id so every one is stored and enqueued, first at a fixed 200 req/s for
 * 15 s, then at saturation (50 connections, 10 s), and prints one table. Loopback only; the bench
 * database is dropped at the end.
 *
 * Options (environment): BENCH_RATE (200), BENCH_RATE_SECONDS (15), BENCH_SATURATION_CONNECTIONS
 * (50), BENCH_SATURATION_SECONDS (10), BENCH_ROLE (`all`; `web` measures the HTTP side without
 * workers, to tell intake cost from processing contention).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { voicenterMissedCall } from '../integrations/voicenter/fake.ts';

// ---------------------------------------------------------------------------------------------
// autocannon ships no types; these are the parts used here.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  pipelining?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const here = dirname(fileURLToPath(import.meta.url));
const RATE = Number(process.env.BENCH_RATE ?? 200);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 15);
const SATURATION_CONNECTIONS = Number(process.env.BENCH_SATURATION_CONNECTIONS ?? 50);
const SATURATION_SECONDS = Number(process.env.BENCH_SATURATION_SECONDS ?? 10);

type Target = { name: string; url: string; path: string };
type ChildMessage = { type: 'ready'; url: string; path: string } | { type: 'stored'; count: number };

// ---------------------------------------------------------------------------------------------
// Child processes: the servers under test.

async function serve(kind: 'findo' | 'bare') {
  const send = (message: ChildMessage) => process.send!(message);
  if (kind === 'bare') {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted","eventId":"x","Err":0,"Errdesc":"OK"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, path: '/webhooks/voicenter/bare' });
    process.on('disconnect', () => server.close(() => process.exit(0)));
    return;
  }

  const [{ loadConfig }, { createLogger }, { startFindo }, { createTenant, setTenantSettings }, { EventModel }] = await Promise.all([
    import('../bot/config.ts'),
    import('../bot/logger.ts'),
    import('../bot/service.ts'),
    import('../bot/tenants.ts'),
    import('../bot/db/models/index.ts'),
  ]);
  const dbName = `findo_bench_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    FINDO_MASTER_KEY: process.env.FINDO_MASTER_KEY ?? randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  } as Record<string, string>);
  const role = (process.env.BENCH_ROLE ?? 'all') as 'all' | 'web';
  const findo = await startFindo({ config, role, dbName, logger: createLogger(config.logLevel, process.stderr) });
  const { tenant, webhookKeys } = await createTenant({ name: 'Bench Dental', ownerPhones: ['054-765-4321'] }, findo.services.vault);
  // A real tenant's settings; the follow-ups themselves are due minutes later, after the run.
  await setTenantSettings(tenant, ['leadFollowupDelay=30m'], findo.services.vault);
  send({ type: 'ready', url: findo.url!, path: `/webhooks/voicenter/${webhookKeys.voicenter}` });
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'count') send({ type: 'stored', count: await EventModel.countDocuments({ tenantId: tenant.id }) });
  });
  process.on('disconnect', async () => {
    await findo.stop();
    // The bench database goes with the run.
    const { default: mongoose } = await import('mongoose');
    const cleanup = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName }).asPromise();
    await cleanup.dropDatabase().catch(() => {});
    await cleanup.close();
    process.exit(0);
  });
}

function startChild(kind: 'findo' | 'bare'): Promise<{ child: ChildProcess; target: Target }> {
  const child = fork(resolve(here, '../bin/run-ts.js'), [fileURLToPath(import.meta.url), '--serve', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited (code ${code}) before it was ready`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolveReady({ child, target: { name: kind === 'findo' ? `Findo (${process.env.BENCH_ROLE ?? 'all'})` : 'bare node:http', url: message.url, path: message.path } });
    });
  });
}

const storedEvents = (child: ChildProcess) =>
  new Promise<number>((resolveCount) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'stored') return;
      child.off('message', onMessage);
      resolveCount(message.count);
    };
    child.on('message', onMessage);
    child.send({ type: 'count' });
  });

// ---------------------------------------------------------------------------------------------
// The load.

/** Voicenter CDRs with a unique call id (and caller) per request. */
function cdrStream() {
  const template = voicenterMissedCall();
  const prefix = template.ivruniqueid.slice(0, 14);
  const run = randomBytes(3).toString('hex');
  let counter = 0;
  return () => {
    counter += 1;
    const caller = `05${2 + (counter % 7)}${String(counter % 10_000_000).padStart(7, '0')}`;
    return JSON.stringify({ ...template, ivruniqueid: `${prefix}${run}${counter}`, caller, callerPhone: caller });
  };
}

interface Row {
  target: string;
  scenario: string;
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
}

async function load(target: Target, scenario: string, options: { connections: number; duration: number; overallRate?: number }): Promise<Row> {
  const nextBody = cdrStream();
  const result = await autocannon({
    url: target.url,
    ...options,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        setupRequest: (request) => ({ ...request, body: nextBody() }),
      },
    ],
  });
  return {
    target: target.name,
    scenario,
    requests: result.requests.total,
    throughput: Math.round((result.requests.total / result.duration) * 10) / 10,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

async function bench(target: Target): Promise<Row[]> {
  // Warm-up (not in the table): JIT, connection pools, Agenda's first polls.
  return [
    await load(target, 'warm-up', { connections: 5, duration: 2, overallRate: 50 }),
    await load(target, `fixed ${RATE} req/s, ${RATE_SECONDS} s`, { connections: 20, duration: RATE_SECONDS, overallRate: RATE }),
    await load(target, `saturation, ${SATURATION_CONNECTIONS} conns, ${SATURATION_SECONDS} s`, { connections: SATURATION_CONNECTIONS, duration: SATURATION_SECONDS }),
  ];
}

function printTable(rows: Row[]) {
  const header = ['server', 'scenario', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'non-2xx'];
  const lines = rows.map((r) => [r.target, r.scenario, String(r.requests), r.throughput.toFixed(1), String(r.p50), String(r.p90), String(r.p99), String(r.non2xx)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

async function main() {
  if (!process.env.MONGODB_URI) {
    console.error('bench:webhooks needs a database: set MONGODB_URI (e.g. eval "$(FINDO_TEST_DB_DIR=/tmp/bench-db scripts/test-db.sh start)").');
    process.exit(1);
  }
  const findo = await startChild('findo');
  const bare = await startChild('bare');
  try {
    console.error(`benchmarking ${findo.target.url} (Findo, role all) and ${bare.target.url} (bare node:http)…`);
    // The bare server first, while Findo is idle, so Findo's leftover job processing does not
    // weigh on the floor measurement.
    const floor = await bench(bare.target);
    const all = [...(await bench(findo.target)), ...floor];
    printTable(all.filter((r) => r.scenario !== 'warm-up'));
    const findoRows = all.filter((r) => r.target.startsWith('Findo'));
    const answered2xx = findoRows.reduce((sum, r) => sum + r.requests - r.non2xx, 0);
    const stored = await storedEvents(findo.child);
    console.log(`\nFindo stored ${stored} events and autocannon counted ${answered2xx} 2xx answers (warm-up included; requests still in flight when a run's time is up are stored but not counted).`);
    console.log(`machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}, DB ${new URL(process.env.MONGODB_URI).host}`);
  } finally {
    for (const { child } of [findo, bare]) {
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    }
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as 'findo' | 'bare');
} else {
  await main();
}
