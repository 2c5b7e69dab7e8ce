/**
 * Database unavailable (§4): with the service's database connection really cut (a TCP proxy in
 * front of the test database drops every connection), every webhook answers 503 so the sender
 * retries, nothing is half-stored, and the same delivery is accepted once the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { EventModel, type Tenant } from '../../../bot/db/models/index.ts';
import { createLogger } from '../../../bot/logger.ts';
import { startFindo, type RunningFindo } from '../../../bot/service.ts';
import { createTenant, setTenantSettings, type WebhookKeys } from '../../../bot/tenants.ts';
import { greeninvoiceDocument } from '../../../integrations/greeninvoice/fake.ts';
import { icountDocument } from '../../../integrations/icount/fake.ts';
import { postProviderWebhook } from '../../../integrations/providers.ts';
import { voicenterMissedCall } from '../../../integrations/voicenter/fake.ts';
import { startFakeWhatsApp, type FakeWhatsApp } from '../../../integrations/whatsapp/fake-server.ts';
import { testDatabaseUri, TEST_MASTER_KEY, uniqueDbName } from '../../support/database.ts';
import { APP_SECRET, BUSINESS_NUMBER_ID, eventually, WHATSAPP_TOKEN } from '../../support/harness.ts';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.ts';

let proxy: TcpProxy;
let findo: RunningFindo;
let whatsapp: FakeWhatsApp;
let tenant: Tenant;
let keys: WebhookKeys;

beforeAll(async () => {
  const direct = new URL(testDatabaseUri(uniqueDbName(import.meta.filename)));
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
  const viaProxy = new URL(direct);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  whatsapp = await startFakeWhatsApp({ appSecret: APP_SECRET, token: WHATSAPP_TOKEN });
  const config = loadConfig({
    MONGODB_URI: viaProxy.toString(),
    FINDO_MASTER_KEY: TEST_MASTER_KEY,
    HOST: '127.0.0.1',
    PORT: '0',
    WHATSAPP_TOKEN,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_API_URL: whatsapp.url,
    LOG_LEVEL: 'silent',
  });
  findo = await startFindo({ config, role: 'all', logger: createLogger('silent'), jobPollInterval: 100 });
  const created = await createTenant(
    { name: 'Outage Test', ownerPhones: ['054-765-4321'], whatsappNumberId: BUSINESS_NUMBER_ID },
    findo.services.vault,
  );
  tenant = await setTenantSettings(created.tenant, ['quietHours=off', 'observeShabbat=false'], findo.services.vault);
  keys = created.webhookKeys;
});

afterAll(async () => {
  proxy?.restore();
  await findo?.stop();
  await whatsapp?.close();
  await proxy?.close();
});

describe('database unavailable', () => {
  it('every webhook answers 503 while the database is cut, and the same deliveries are accepted once it is back', async () => {
    const url = (provider: 'voicenter' | 'greeninvoice' | 'icount') => `${findo.url}/webhooks/${provider}/${keys[provider]}`;
    const call = voicenterMissedCall({ caller: '+972521112233', callerPhone: '' });
    const document = greeninvoiceDocument({ recipient: { mobile: '+972521112244' } });
    const icount = icountDocument({ docnum: 777, phone: '+972521112255' });
    const inbound = whatsapp.signedInbound({ phoneNumberId: BUSINESS_NUMBER_ID, from: '+972521112266', text: 'שלום' });
    const deliverAll = () =>
      Promise.all([
        postProviderWebhook(url('voicenter'), call),
        postProviderWebhook(url('greeninvoice'), document),
        postProviderWebhook(url('icount'), icount, { form: true }),
        whatsapp.deliver(`${findo.url}/webhooks/whatsapp`, inbound).then((d) => ({ status: d.status, json: d.body })),
      ]);

    proxy.cut();
    const started = Date.now();
    const during = await deliverAll();
    expect(during.map((d) => d.status)).toEqual([503, 503, 503, 503]);
    for (const d of during) expect(d.json).toEqual({ error: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(20_000);
    const health = await fetch(`${findo.url}/healthz`);
    expect(health.status).toBe(503);

    proxy.restore();
    await eventually(async () => (await fetch(`${findo.url}/healthz`)).status === 200, 20_000, 'database back');
    const after = await deliverAll();
    expect(after.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    expect(after.map((d) => (d.json as { status: string }).status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    expect(await EventModel.countDocuments({ tenantId: tenant.id })).toBe(4);
    await eventually(
      async () => (await EventModel.countDocuments({ tenantId: tenant.id, status: 'processed' })) === 4,
      15_000,
      'all processed',
    );
  }, 60_000);
});
