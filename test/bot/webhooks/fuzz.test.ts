/**
 * The hostile-input suite: generated, authenticated bodies against every webhook route of the real
 * service, its workers and its database. Whatever comes in, the answer is never a 5xx, the service
 * keeps running, and no stored event makes a job fail. Bodies come from fast-check with a fixed
 * seed (set FUZZ_SEED to try others); a failure names the request that caused it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AGENDA_COLLECTION } from '../../../bot/agenda.ts';
import { EventModel, type Tenant } from '../../../bot/db/models/index.ts';
import type { WebhookKeys } from '../../../bot/tenants.ts';
import { hostileRequests, type FuzzedRoute, type HostileRequest } from '../../support/hostile-bodies.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../../support/harness.ts';

const BODIES_PER_ROUTE = Number(process.env.FUZZ_BODIES ?? 1_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_402);
/** Requests in flight at once: enough to finish in seconds, few enough for a 2-core CI machine. */
const POOL = 8;
/** Ceilings, not measures: a shared CI machine under load may be many times slower than an idle one. */
const ROUTE_TIMEOUT_MS = 10 * 60_000;
const ROUTES: FuzzedRoute[] = ['whatsapp', 'voicenter', 'greeninvoice', 'icount'];

let harness: Harness;
let tenant: Tenant;
let keys: WebhookKeys;

beforeAll(async () => {
  harness = await startHarness(import.meta.filename);
  ({ tenant, webhookKeys: keys } = await harness.createTenant());
});

afterAll(async () => {
  await harness?.stop();
});

interface Answer {
  status: number;
  request: HostileRequest;
}

async function send(route: FuzzedRoute, request: HostileRequest): Promise<Answer> {
  const url = route === 'whatsapp' ? `${harness.url}/webhooks/whatsapp` : harness.webhookUrl(route, keys[route]);
  const headers =
    route === 'whatsapp' ? { ...request.headers, 'x-hub-signature-256': harness.whatsapp.signBytes(request.plain) } : request.headers;
  const response = await fetch(url, { method: 'POST', headers, body: new Uint8Array(request.bytes) });
  await response.arrayBuffer();
  return { status: response.status, request };
}

/** Runs `work` over `items` with at most POOL at a time. */
async function pooled<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: POOL }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

const describeRequest = ({ request, status }: Answer) =>
  `${status} ${JSON.stringify(request.headers)} ${request.plain.subarray(0, 300).toString('utf8')}`;

describe('hostile input', () => {
  const figures: Record<string, { bodies: number; by: Record<number, number> }> = {};

  it.each(ROUTES)(
    `POST /webhooks/%s: ${BODIES_PER_ROUTE} generated authenticated bodies, never a 5xx`,
    async (route) => {
      const requests = fc.sample(hostileRequests(route, BUSINESS_NUMBER_ID), {
        numRuns: BODIES_PER_ROUTE,
        seed: SEED + ROUTES.indexOf(route),
      });
      const answers = await pooled(requests, (request) => send(route, request));
      const by: Record<number, number> = {};
      for (const { status } of answers) by[status] = (by[status] ?? 0) + 1;
      figures[route] = { bodies: answers.length, by };
      console.info(`hostile input, ${route}: ${answers.length} bodies, answers ${JSON.stringify(by)}`);
      const serverErrors = answers.filter((a) => a.status >= 500);
      expect(serverErrors.slice(0, 3).map(describeRequest)).toEqual([]);
      expect(answers).toHaveLength(BODIES_PER_ROUTE);
      // Some of them really reached the jobs, or the suite would prove little.
      expect(by[200] ?? 0).toBeGreaterThan(0);
    },
    ROUTE_TIMEOUT_MS,
  );

  it(
    'the service still answers, and every stored event is processed without a failed job',
    async () => {
      const health = await fetch(`${harness.url}/healthz`);
      expect(health.status).toBe(200);
      await eventually(
        async () => (await EventModel.countDocuments({ tenantId: tenant.id, status: 'accepted' })) === 0,
        ROUTE_TIMEOUT_MS / 2,
        'every accepted event processed',
      );
      const failed = await EventModel.find({ status: 'failed' }, { eventId: 1, lastError: 1 }).setOptions({ allTenants: true }).lean();
      expect(failed.map((e) => `${e.eventId}: ${e.lastError}`)).toEqual([]);
      const jobs = harness.findo.database.connection.db!.collection(AGENDA_COLLECTION);
      const failedJobs = await jobs.find({ failCount: { $gt: 0 } }, { projection: { name: 1, failReason: 1 } }).toArray();
      expect(failedJobs.map((j) => `${j.name}: ${j.failReason}`)).toEqual([]);
      const stored = await EventModel.countDocuments({}).setOptions({ allTenants: true });
      const fiveXx = Object.values(figures).reduce(
        (n, f) =>
          n +
          Object.entries(f.by)
            .filter(([s]) => Number(s) >= 500)
            .reduce((m, [, c]) => m + c, 0),
        0,
      );
      console.info(
        `hostile input: ${Object.entries(figures)
          .map(([route, f]) => `${route} ${f.bodies} bodies ${JSON.stringify(f.by)}`)
          .join('; ')}; 5xx: ${fiveXx}; events stored: ${stored}`,
      );
    },
    ROUTE_TIMEOUT_MS,
  );
});
