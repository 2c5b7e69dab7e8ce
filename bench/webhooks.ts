/**
 * Webhook benchmark (issue 13; spec §8: p99 ≤ 50 ms at 200 requests/s, DB on the same machine).
 *
 *   npm run bench:webhooks                                              # the embedded database
 *   MONGODB_URI=mongodb://127.0.0.1:27017/findo npm run bench:webhooks  # any MongoDB
 *
 * One run measures, per database and on a fresh database each time:
 * - Findo's intake (the real service, role `all`, in a child process): a fixed 200 req/s, then
 *   saturation, with realistic Voicenter missed calls, each with its own call id;
 * - the database's raw ceiling for the same writes (the event and its inbox item) with the bare
 *   driver, at the same concurrency as saturation;
 * - a bare `node:http` server that only parses the body and answers: the machine's floor;
 * - customer-felt latency: a signed WhatsApp text (an owner's "עזרה") to the reply at the fake
 *   Graph API, idle and under the fixed-rate load;
 * - the drain rate of a backlog of 200, 1,000 and 5,000 stored events by one worker process;
 * - load-independent figures, from the driver's command monitoring: database commands per
 *   accepted webhook (a web-only process) and per processed event (the drains), and Agenda's
 *   scans per second of an idle worker over the jobs the backlog left pending.
 *
 * It runs once on MONGODB_URI (or the embedded database), then on FerretDB over PostgreSQL, which it starts itself
 * (initdb/pg_ctl as the `postgres` user, FerretDB from Findo's cache) and skips with a clear line
 * where that is not possible. Loopback only; every bench database is dropped at the end.
 *
 * Options (environment): BENCH_RATE (200), BENCH_RATE_SECONDS (15), BENCH_SATURATION_CONNECTIONS
 * (50), BENCH_SATURATION_SECONDS (10), BENCH_LATENCY_SAMPLES (30), BENCH_DRAIN_SIZES
 * (200,1000,5000), BENCH_IDLE_SECONDS (10), BENCH_POSTGRES (`off` skips the PostgreSQL half).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../bot/db/embedded.ts';
import { ensureFerretDbBinary } from '../bot/db/ferretdb.ts';
import { ensureIndexes, EventModel, InboxModel } from '../bot/db/models/index.ts';
import { createTenant, setTenantSettings } from '../bot/tenants.ts';
import { openVault } from '../bot/vault.ts';
import { loadConfig } from '../bot/config.ts';
import { startFakeWhatsApp, type FakeWhatsApp } from '../integrations/whatsapp/fake-server.ts';
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
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 30);
const DRAIN_SIZES = (process.env.BENCH_DRAIN_SIZES ?? '200,1000,5000').split(',').map(Number);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const APP_SECRET = 'bench-app-secret';
const WHATSAPP_TOKEN = 'bench-token';
const BUSINESS_NUMBER_ID = '106540352242922';
const OWNER = '+972547654321';
const MASTER_KEY = randomBytes(32).toString('base64');

type Target = { name: string; url: string; path: string };
/** Database commands by `command:collection`, counted with the driver's command monitoring. */
type CommandCounts = Record<string, number>;
type ChildMessage = { type: 'ready'; url?: string } | { type: 'commands'; counts: CommandCounts };

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
    send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    process.on('disconnect', () => server.close(() => process.exit(0)));
    return;
  }
  const [{ createLogger }, { startFindo }] = await Promise.all([import('../bot/logger.ts'), import('../bot/service.ts')]);
  const config = loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } as Record<
    string,
    string
  >);
  const role = process.env.BENCH_ROLE as 'all' | 'web' | 'worker';
  const findo = await startFindo({ config, role, dbName: process.env.BENCH_DB, logger: createLogger(config.logLevel, process.stderr) });
  // The count of database commands since the parent last asked: a figure the machine's load does not change.
  let counts: CommandCounts = {};
  findo.database.connection.getClient().on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    const collection = event.command[event.commandName];
    const key = typeof collection === 'string' ? `${event.commandName}:${collection}` : event.commandName;
    counts[key] = (counts[key] ?? 0) + 1;
  });
  process.on('message', (message: { type: string }) => {
    if (message.type !== 'commands') return;
    send({ type: 'commands', counts });
    counts = {};
  });
  send({ type: 'ready', url: findo.url });
  process.on('disconnect', () => void findo.stop().then(() => process.exit(0)));
}

function startChild(kind: 'findo' | 'bare', env: Record<string, string> = {}): Promise<{ child: ChildProcess; url?: string }> {
  const child = fork(resolve(here, '../bin/run-ts.js'), [fileURLToPath(import.meta.url), '--serve', kind], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited (code ${code}) before it was ready`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolveReady({ child, url: message.url });
    });
  });
}

/** The database commands a Findo child sent since the last call. */
function commandsOf(child: ChildProcess): Promise<CommandCounts> {
  return new Promise((resolveCounts) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'commands') return;
      child.off('message', onMessage);
      resolveCounts(message.counts);
    };
    child.on('message', onMessage);
    child.send({ type: 'commands' });
  });
}

/** A row of commands per unit of work, with the commands that make it up. */
function commandsRow(db: string, measure: string, counts: CommandCounts, units: number, unit: string): Row {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const parts = Object.entries(counts)
    .filter(([, n]) => n / units >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${(n / units).toFixed(2)}`);
  return row(db, measure, { count: total, rate: Math.round((total / units) * 100) / 100, note: `per ${unit}: ${parts.join(', ')}` });
}

/** Agenda's lock queries (`findAndModify`) and due-name polls (`distinct`) among the counts. */
const agendaScans = (counts: CommandCounts) => (counts['findAndModify:agendaJobs'] ?? 0) + (counts['distinct:agendaJobs'] ?? 0);

async function stopChild(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.disconnect();
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
}

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
    return { ...template, ivruniqueid: `${prefix}${run}${counter}`, caller, callerPhone: caller };
  };
}

interface Row {
  db: string;
  measure: string;
  count: number;
  rate: number;
  p50: number | string;
  p95: number | string;
  p99: number | string;
  note: string;
}

const row = (db: string, measure: string, fields: Partial<Row>): Row => ({
  db,
  measure,
  count: 0,
  rate: 0,
  p50: '',
  p95: '',
  p99: '',
  note: '',
  ...fields,
});

async function load(target: Target, options: { connections: number; duration: number; overallRate?: number }): Promise<AutocannonResult> {
  const nextBody = cdrStream();
  return autocannon({
    url: target.url,
    ...options,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(nextBody()) }),
      },
    ],
  });
}

const loadRow = (db: string, measure: string, r: AutocannonResult) =>
  row(db, measure, {
    count: r.requests.total,
    rate: Math.round((r.requests.total / r.duration) * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    note: `p90 ${r.latency.p90} ms; ${r.non2xx + r.errors + r.timeouts} non-2xx/errors`,
  });

/** Fixed rate, then saturation (after a short warm-up that is not reported). */
async function intake(db: string, target: Target): Promise<Row[]> {
  await load(target, { connections: 5, duration: 2, overallRate: 50 });
  return [
    loadRow(
      db,
      `${target.name}: ${RATE} req/s, ${RATE_SECONDS} s`,
      await load(target, { connections: 20, duration: RATE_SECONDS, overallRate: RATE }),
    ),
    loadRow(
      db,
      `${target.name}: saturation, ${SATURATION_CONNECTIONS} conns`,
      await load(target, { connections: SATURATION_CONNECTIONS, duration: SATURATION_SECONDS }),
    ),
  ];
}

/** The same two writes as an accepted webhook (the event, its inbox item), bare driver, same concurrency. */
async function rawCeiling(db: string, tenantId: string): Promise<Row> {
  const raw = mongoose.connection.useDb(`${mongoose.connection.name}_raw`);
  const events = raw.collection('events');
  const inbox = raw.collection('inbox');
  await events.createIndexes(EventModel.schema.indexes().map(([key, options]) => ({ key, ...options })) as never);
  const nextBody = cdrStream();
  let count = 0;
  const deadline = Date.now() + SATURATION_SECONDS * 1_000;
  await Promise.all(
    Array.from({ length: SATURATION_CONNECTIONS }, async () => {
      while (Date.now() < deadline) {
        const body = nextBody();
        const now = new Date();
        const { insertedId } = await events.insertOne({
          tenantId,
          provider: 'voicenter',
          eventId: `vc-missed:${body.ivruniqueid}`,
          status: 'accepted',
          contentType: 'application/json',
          body,
          attempts: 0,
          replays: 0,
          receivedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await inbox.insertOne({ _id: insertedId, tenantId, generation: 0, dueAt: now, owner: null, leaseUntil: null, failures: 0 });
        count += 1;
      }
    }),
  );
  await raw.dropDatabase();
  return row(db, `raw driver: event + inbox item, ${SATURATION_CONNECTIONS} in flight`, {
    count,
    rate: Math.round((count / SATURATION_SECONDS) * 10) / 10,
    note: 'the ceiling for intake',
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** How long a text may wait for its reply before it counts as unanswered. */
const REPLY_TIMEOUT_MS = 20_000;

/** An owner's "עזרה" (help) over a signed webhook, to the reply at the fake Graph API, one at a time. */
async function textToReply(db: string, label: string, whatsapp: FakeWhatsApp, findoUrl: string): Promise<Row> {
  const samples: number[] = [];
  let unanswered = 0;
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const before = whatsapp.sent.length;
    const started = performance.now();
    await whatsapp.deliverInbound(`${findoUrl}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: OWNER, text: 'עזרה' });
    try {
      await whatsapp.waitForSent((m) => m.to === OWNER && whatsapp.sent.indexOf(m) >= before, REPLY_TIMEOUT_MS);
      samples.push(performance.now() - started);
    } catch {
      unanswered += 1;
      samples.push(Infinity);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const sorted = samples.sort((a, b) => a - b).map(Math.round);
  return row(db, `text → reply, ${label}`, {
    count: samples.length,
    p50: sorted[Math.floor(sorted.length / 2)],
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    note: unanswered ? `${unanswered} not answered within ${REPLY_TIMEOUT_MS / 1_000} s` : '',
  });
}

/** A backlog of `size` stored events (as intake writes them), drained by one fresh worker process. */
async function drain(db: string, size: number, tenantId: string, env: Record<string, string>): Promise<Row[]> {
  const nextBody = cdrStream();
  const later = new Date(Date.now() + 3_600_000);
  for (let done = 0; done < size; done += 500) {
    const bodies = Array.from({ length: Math.min(500, size - done) }, nextBody);
    const stored = await EventModel.insertMany(
      bodies.map((body) => ({
        tenantId,
        provider: 'voicenter',
        eventId: `vc-missed:${body.ivruniqueid}`,
        status: 'accepted',
        contentType: 'application/json',
        body,
        receivedAt: new Date(),
      })),
    );
    // Held back until the worker is up, so its start-up is not in the figure.
    await InboxModel.insertMany(stored.map((event) => ({ _id: event._id, tenantId, generation: 0, dueAt: later })));
  }
  const worker = await startChild('findo', { ...env, BENCH_ROLE: 'worker' });
  await commandsOf(worker.child);
  const started = performance.now();
  await InboxModel.updateMany({}, { $set: { dueAt: new Date() } });
  while ((await InboxModel.countDocuments({})) > 0) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - started) / 1_000;
  const drained = await commandsOf(worker.child);
  // Then idle, with the backlog's follow-ups pending: what the worker's polls cost.
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1_000));
  const idle = await commandsOf(worker.child);
  await stopChild(worker.child);
  const unprocessed = await EventModel.countDocuments({ tenantId, status: { $ne: 'processed' } });
  return [
    row(db, `drain a backlog of ${size}, 1 worker`, {
      count: size,
      rate: Math.round((size / seconds) * 10) / 10,
      note: `${seconds.toFixed(1)} s; ${unprocessed} not processed`,
    }),
    commandsRow(db, `commands per processed event (${size})`, drained, size, 'event'),
    row(db, `idle worker over ${size} pending jobs`, {
      count: agendaScans(idle),
      rate: Math.round((agendaScans(idle) / IDLE_SECONDS) * 100) / 100,
      note: `Agenda scans per s (findAndModify + distinct on agendaJobs); ${Object.values(idle).reduce((a, b) => a + b, 0)} commands in ${IDLE_SECONDS} s`,
    }),
  ];
}

/** Commands per accepted webhook: a web-only process (no workers), `count` sequential missed calls. */
async function intakeCommands(db: string, env: Record<string, string>, voicenterKey: string, count = 200): Promise<Row> {
  const web = await startChild('findo', { ...env, BENCH_ROLE: 'web' });
  const nextBody = cdrStream();
  await commandsOf(web.child);
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${web.url}/webhooks/voicenter/${voicenterKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(nextBody()),
    });
    await response.arrayBuffer();
  }
  const counts = await commandsOf(web.child);
  await stopChild(web.child);
  return commandsRow(db, 'commands per webhook (role web)', counts, count, 'webhook');
}

/** Every measure on one database (a fresh database on the server at `uri`). */
async function suite(db: string, uri: string): Promise<Row[]> {
  const dbName = `findo_bench_${randomBytes(4).toString('hex')}`;
  const whatsapp = await startFakeWhatsApp({ appSecret: APP_SECRET, token: WHATSAPP_TOKEN });
  const env: Record<string, string> = {
    // Command monitoring on, for the counts (commandsOf).
    MONGODB_URI: `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`,
    BENCH_DB: dbName,
    FINDO_MASTER_KEY: MASTER_KEY,
    WHATSAPP_TOKEN,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_API_URL: whatsapp.url,
  };
  await mongoose.connect(uri, { dbName });
  const rows: Row[] = [];
  try {
    await ensureIndexes();
    const vault = openVault(loadConfig({ MONGODB_URI: uri, FINDO_MASTER_KEY: MASTER_KEY }));
    const { tenant, webhookKeys } = await createTenant(
      { name: 'Bench Dental', ownerPhones: [OWNER], whatsappNumberId: BUSINESS_NUMBER_ID },
      vault,
    );
    // A real tenant's settings; the follow-ups themselves are due after the run.
    await setTenantSettings(tenant, ['leadFollowupDelay=30m', 'quietHours=off', 'observeShabbat=false'], vault);

    const bare = await startChild('bare');
    rows.push(...(await intake(db, { name: 'bare node:http', url: bare.url!, path: '/webhooks/voicenter/bare' })));
    await stopChild(bare.child);
    rows.push(await rawCeiling(db, tenant.id));

    const findo = await startChild('findo', { ...env, BENCH_ROLE: 'all' });
    const target = { name: 'Findo (all)', url: findo.url!, path: `/webhooks/voicenter/${webhookKeys.voicenter}` };
    rows.push(await textToReply(db, 'idle', whatsapp, findo.url!));
    // Under load: the fixed rate of missed calls runs while texts are answered one after another.
    const background = load(target, { connections: 20, duration: RATE_SECONDS, overallRate: RATE });
    rows.push(await textToReply(db, `under ${RATE} req/s`, whatsapp, findo.url!));
    const backgroundResult = await background;
    rows.push(loadRow(db, `${target.name}: ${RATE} req/s during the texts`, backgroundResult));
    rows.push(...(await intake(db, target)));
    await stopChild(findo.child);
    rows.push(await intakeCommands(db, env, webhookKeys.voicenter));

    // Each backlog on its own: what the runs above stored is cleared first.
    for (const size of DRAIN_SIZES) {
      await Promise.all([EventModel.deleteMany({ tenantId: tenant.id }), InboxModel.deleteMany({})]);
      rows.push(...(await drain(db, size, tenant.id, env)));
    }
  } finally {
    await mongoose.connection.dropDatabase().catch(() => {});
    await mongoose.disconnect();
    await whatsapp.close();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// FerretDB on PostgreSQL, started here.

const freePort = () =>
  new Promise<number>((r) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => r(port));
    });
  });

const listening = async (port: number, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((r) =>
      connect(port, '127.0.0.1')
        .once('connect', function (this: import('node:net').Socket) {
          this.end();
          r(true);
        })
        .once('error', () => r(false)),
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listens on ${port}`);
};

/** Starts PostgreSQL (a throwaway cluster) and FerretDB over it; null with the reason when it cannot. */
async function startFerretDbOnPostgres(): Promise<{ uri: string; stop(): Promise<void> } | string> {
  if (process.env.BENCH_POSTGRES === 'off') return 'BENCH_POSTGRES=off';
  const { cacheDir, goBinary } = loadConfig();
  let ferretdb: string;
  try {
    ferretdb = await ensureFerretDbBinary({ cacheDir, goBinary, progress: process.stderr });
  } catch (error) {
    return (error as Error).message;
  }
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
  try {
    asPostgres(['initdb', '--version']);
  } catch {
    return 'PostgreSQL is not installed (initdb, pg_ctl) or there is no postgres user to run it as';
  }
  const dir = mkdtempSync(join(tmpdir(), 'findo-bench-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const pgPort = await freePort();
  asPostgres(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asPostgres([
    'pg_ctl',
    '-D',
    data,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-o',
    `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  asPostgres(['createdb', '-h', '127.0.0.1', '-p', String(pgPort), 'ferretdb']);
  const port = await freePort();
  const ferret = spawn(
    ferretdb,
    [
      '--handler=postgresql',
      `--postgresql-url=postgres://postgres@127.0.0.1:${pgPort}/ferretdb`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: 'ignore' },
  );
  await listening(port);
  return {
    uri: `mongodb://127.0.0.1:${port}/findo`,
    async stop() {
      ferret.kill();
      asPostgres(['pg_ctl', '-D', data, '-m', 'fast', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------

function printTable(rows: Row[]) {
  const header = ['database', 'measure', 'count', 'per s', 'p50 ms', 'p95 ms', 'p99 ms', 'note'];
  const lines = rows.map((r) => [
    r.db,
    r.measure,
    String(r.count),
    r.rate ? r.rate.toFixed(1) : '',
    String(r.p50),
    String(r.p95),
    String(r.p99),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w, i) => (i < 2 || i === 7 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

async function main() {
  // Without MONGODB_URI: the embedded database, on a throwaway folder (FerretDB/SQLite where
  // mongod cannot be had).
  const { cacheDir, goBinary } = loadConfig();
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedServer({
        dataDir: mkdtempSync(join(tmpdir(), 'findo-bench-db-')),
        cacheDir,
        goBinary,
        persistent: false,
        progress: process.stderr,
      });
  const uri = process.env.MONGODB_URI ?? `${embedded!.uri}findo`;
  const label = embedded
    ? `embedded ${embedded.engine === 'ferretdb' ? 'FerretDB/SQLite' : 'mongod'}`
    : `MONGODB_URI (${new URL(uri).host})`;
  console.error(`benchmarking on ${label}…`);
  let rows: Row[];
  try {
    rows = await suite(label, uri);
  } finally {
    await embedded?.stop();
  }
  const postgres = await startFerretDbOnPostgres();
  if (typeof postgres === 'string') {
    console.error(`skipping FerretDB/PostgreSQL: ${postgres}`);
  } else {
    try {
      console.error('benchmarking on FerretDB/PostgreSQL…');
      rows.push(...(await suite('FerretDB/PostgreSQL', postgres.uri)));
    } finally {
      await postgres.stop();
    }
  }
  printTable(rows);
  console.log(
    `\nmachine: ${(await import('node:os')).cpus().length} cores, load ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, Node ${process.version}`,
  );
  if (typeof postgres === 'string') console.log(`FerretDB/PostgreSQL skipped: ${postgres}`);
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as 'findo' | 'bare');
} else {
  await main();
  process.exit(0);
}
