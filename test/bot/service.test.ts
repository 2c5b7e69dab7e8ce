import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { TenantModel } from '../../bot/db/models/index.ts';
import { createLogger } from '../../bot/logger.ts';
import { startFindo, type RunningFindo } from '../../bot/service.ts';
import { createTenant } from '../../bot/tenants.ts';
import { testDatabaseUri, TEST_MASTER_KEY, uniqueDbName } from '../support/database.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const METRICS_TOKEN = 'operator-metrics-token-0123';

describe('the service', () => {
  let proxy: TcpProxy;
  let findo: RunningFindo;
  let uri: string;

  beforeAll(async () => {
    const target = new URL(testDatabaseUri(uniqueDbName(import.meta.filename)));
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    target.host = `127.0.0.1:${proxy.port}`;
    uri = target.toString();
  });
  afterAll(async () => {
    await findo?.stop();
    await proxy.close();
  });

  const start = () =>
    startFindo({
      config: loadConfig({
        MONGODB_URI: uri,
        FINDO_MASTER_KEY: TEST_MASTER_KEY,
        PORT: '0',
        HOST: '127.0.0.1',
        FINDO_METRICS_TOKEN: METRICS_TOKEN,
      }),
      logger: createLogger('silent'),
      jobPollInterval: 200,
    });

  it('answers /healthz 200 while the database answers and 503 when it does not', async () => {
    findo = await start();
    const ok = await fetch(`${findo.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });

    proxy.cut();
    const down = await fetch(`${findo.url}/healthz`);
    expect(down.status).toBe(503);
    proxy.restore();
  });

  it("serves Prometheus metrics to the operator's bearer token only", async () => {
    expect((await fetch(`${findo.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${findo.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const res = await fetch(`${findo.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE findo_webhook_requests_total counter');
    expect(text).toContain('findo_open_conversations');
  });

  it('keeps its data across a restart of the service and its database connection', async () => {
    await createTenant({ name: 'Persistent Salon', ownerPhones: ['054-765-4321'] }, findo.services.vault);
    await findo.stop();
    findo = await start();
    expect((await TenantModel.findOne({ slug: 'persistent-salon' }))?.name).toBe('Persistent Salon');
    expect((await fetch(`${findo.url}/healthz`)).status).toBe(200);
  });
});
