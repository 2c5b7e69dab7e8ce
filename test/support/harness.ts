/**
 * End-to-end harness: the real Findo service (HTTP server and job workers) on a fresh database of
 * its own, talking over real HTTP to local fakes of WhatsApp, Google and Anthropic.
 */
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { startFindo, type Role, type RunningFindo } from '../../bot/service.ts';
import { createTenant, setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import type { Tenant } from '../../bot/db/models/index.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../integrations/anthropic/fake-server.ts';
import { startFakeGoogle, type FakeGoogle } from '../../integrations/google/fake-server.ts';
import { startFakeWhatsApp, type FakeWhatsApp } from '../../integrations/whatsapp/fake-server.ts';
import { testDatabaseUri, TEST_MASTER_KEY, uniqueDbName } from './database.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
export const WHATSAPP_TOKEN = 'test-whatsapp-token';
export const BUSINESS_NUMBER_ID = '106540352242922';

export interface Harness {
  findo: RunningFindo;
  whatsapp: FakeWhatsApp;
  google: FakeGoogle;
  anthropic: FakeAnthropic;
  /** With `databaseProxy`: the cuttable link between the service and its database. */
  proxy?: TcpProxy;
  /** The environment the service runs with (for CLI child processes and restarts). */
  env: Record<string, string>;
  url: string;
  /** Restarts the service process-internally (same database), e.g. after a simulated crash. */
  restart(role?: Role): Promise<void>;
  createTenant(
    overrides?: Partial<{ name: string; ownerPhones: string[]; reviewLink: string; language: string }>,
  ): Promise<{ tenant: Tenant; webhookKeys: WebhookKeys }>;
  webhookUrl(provider: 'voicenter' | 'greeninvoice' | 'icount', key: string): string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Use Claude through the fake Anthropic server (default: built-in rules, no API key). */
  withClaude?: boolean;
  role?: Role;
  /** Reach the database through a TCP proxy the test can cut ({@link Harness.proxy}). */
  databaseProxy?: boolean;
  /** Extra environment for the service (e.g. WhatsApp timeouts). */
  env?: Record<string, string>;
}

export async function startHarness(testFile: string, options: HarnessOptions = {}): Promise<Harness> {
  const [whatsapp, google, anthropic] = await Promise.all([
    startFakeWhatsApp({ appSecret: APP_SECRET, token: WHATSAPP_TOKEN }),
    startFakeGoogle(),
    startFakeAnthropic(),
  ]);
  const databaseUri = new URL(testDatabaseUri(uniqueDbName(testFile)));
  const proxy = options.databaseProxy ? await startTcpProxy({ host: databaseUri.hostname, port: Number(databaseUri.port) }) : undefined;
  if (proxy) databaseUri.host = `127.0.0.1:${proxy.port}`;
  const env: Record<string, string> = {
    MONGODB_URI: databaseUri.toString(),
    FINDO_MASTER_KEY: TEST_MASTER_KEY,
    HOST: '127.0.0.1',
    PORT: '0',
    WHATSAPP_TOKEN,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_API_URL: whatsapp.url,
    GOOGLE_CLIENT_ID: 'test-client-id',
    GOOGLE_CLIENT_SECRET: 'test-client-secret',
    GOOGLE_REDIRECT_URI: 'http://127.0.0.1/oauth/callback',
    GOOGLE_API_URL: google.url,
    GOOGLE_OAUTH_URL: google.url,
    ANTHROPIC_BASE_URL: anthropic.url,
    ...(options.withClaude ? { ANTHROPIC_API_KEY: 'test-anthropic-key' } : {}),
    FINDO_JOB_POLL_INTERVAL: '100',
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const start = (role: Role = options.role ?? 'all') =>
    startFindo({
      config: loadConfig(env),
      role,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      jobPollInterval: Number(env.FINDO_JOB_POLL_INTERVAL),
    });

  let findo = await start();
  const harness: Harness = {
    findo,
    whatsapp,
    google,
    anthropic,
    proxy,
    env,
    url: findo.url!,
    async restart(role) {
      await findo.stop();
      findo = await start(role);
      harness.findo = findo;
      harness.url = findo.url ?? harness.url;
    },
    async createTenant(overrides = {}) {
      const created = await createTenant(
        {
          name: overrides.name ?? 'Dani Plumbing',
          ownerPhones: overrides.ownerPhones ?? ['054-765-4321'],
          whatsappNumberId: BUSINESS_NUMBER_ID,
          reviewLink: overrides.reviewLink ?? 'https://g.page/r/dani-plumbing/review',
          language: overrides.language ?? 'he',
        },
        findo.services.vault,
      );
      // Quiet hours and Shabbat are turned off here; tests about them turn them on explicitly.
      const tenant = await setTenantSettings(created.tenant, ['quietHours=off', 'observeShabbat=false'], findo.services.vault);
      return { tenant, webhookKeys: created.webhookKeys };
    },
    webhookUrl: (provider, key) => `${harness.url}/webhooks/${provider}/${key}`,
    async stop() {
      proxy?.restore();
      await findo.stop();
      await Promise.all([whatsapp.close(), google.close(), anthropic.close(), proxy?.close()]);
    },
  };
  return harness;
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => PromiseLike<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
