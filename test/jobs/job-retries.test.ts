/**
 * Jobs retry by the one policy (jobs/retry.ts), end to end: the real service with its Agenda
 * workers and database, a missed call posted to the webhook, and the fake WhatsApp over HTTP
 * refusing the follow-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import type { Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { IntegrationError } from '../../integrations/errors.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { registerJobs } from '../../jobs/index.ts';
import { missedCallFollowupJob } from '../../jobs/missed-call-followup.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';

/** Longer than the follow-up's first backoff (5 s ± 20 %), so honouring it is visible. */
const RETRY_AFTER_SECONDS = 8;

describe('job retries', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;
  let seq = 0;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const newCaller = () => `+97254${String(1_000_000 + ++seq).slice(-7)}`;
  const missedCall = (caller: string) =>
    postProviderWebhook(h.webhookUrl('voicenter', keys.voicenter), voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: `retry-${++seq}` }) as never);

  it("retries a follow-up refused with Meta's 130429 no sooner than its Retry-After", async () => {
    const caller = newCaller();
    h.whatsapp.failNext(130429, { httpStatus: 429, retryAfterSeconds: RETRY_AFTER_SECONDS });
    expect((await missedCall(caller)).status).toBe(200);
    const refusedAt = await eventually(async () => h.whatsapp.rejected.some((m) => m.to === caller) && Date.now(), 15_000, 'first send refused');
    await h.whatsapp.waitForSent((m) => m.to === caller, 30_000);
    const waited = Date.now() - refusedAt;
    console.log(`130429 with Retry-After ${RETRY_AFTER_SECONDS}s: sent again after ${waited} ms`);
    expect(waited).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1_000);
    expect(h.whatsapp.sent.filter((m) => m.to === caller)).toHaveLength(1);
  }, 45_000);

  it('does not retry a job that failed with a permanent error', async () => {
    const { agenda } = h.findo.services;
    let attempts = 0;
    // The follow-up's job runs with a WhatsApp client that cannot exist: no access token.
    registerJobs(agenda, {
      ...h.findo.services,
      whatsappFor: async () => {
        attempts += 1;
        throw new IntegrationError('no WhatsApp access token', 'permanent', { provider: 'whatsapp', code: 'no_token' });
      },
    }, [missedCallFollowupJob]);
    try {
      const exhausted = new Promise<Error>((resolve) => agenda.once(`retry exhausted:${missedCallFollowupJob.name}`, resolve));
      const caller = newCaller();
      expect((await missedCall(caller)).status).toBe(200);
      expect((await exhausted).message).toBe('no WhatsApp access token');
      // Well past the first backoff of a retryable failure (5 s ± 20 %): still the one attempt.
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      expect(attempts).toBe(1);
      expect([...h.whatsapp.sent, ...h.whatsapp.rejected].filter((m) => m.to === caller)).toEqual([]);
      const job = await h.findo.services.connection.collection(AGENDA_COLLECTION).findOne({ name: missedCallFollowupJob.name, 'data.phone': caller });
      expect(job).toMatchObject({ failCount: 1, nextRunAt: null });
    } finally {
      registerJobs(agenda, h.findo.services, [missedCallFollowupJob]);
    }
  }, 30_000);
});
