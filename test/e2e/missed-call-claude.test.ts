/**
 * Flow F1 with Claude: the same service, pointed by ANTHROPIC_BASE_URL at the fake Messages API,
 * uses Claude's (checked) extraction and owner summary; an answer that fails the checks falls back
 * to the built-in rules, so the customer never notices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadModel, type Lead, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import type { FakeMessagesRequest } from '../../integrations/anthropic/fake-server.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';

const systemOf = (request: FakeMessagesRequest) =>
  typeof request.system === 'string' ? request.system : (request.system ?? []).map((b) => b.text).join('');
const userTextOf = (request: FakeMessagesRequest) => {
  const content = request.messages.at(-1)!.content;
  return typeof content === 'string' ? content : content.map((b) => b.text ?? '').join('');
};

describe('missed call → lead, with Claude through the fake Messages API', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename, { withClaude: true });
    ({ tenant, webhookKeys: keys } = await h.createTenant());
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => h?.stop());

  it('uses Claude’s extraction and summary for the lead and the owner’s alert', async () => {
    h.anthropic.respondWith((request) => {
      if (systemOf(request).includes('pull out lead details')) {
        return JSON.stringify({ name: 'אבי', need: 'תיקון דוד שלא מחמם', preferredTime: 'מחר בבוקר' });
      }
      return 'אבי – תיקון דוד שלא מחמם, נוח לו מחר בבוקר';
    });
    const customer = '+972527652222';
    await postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller: '052-765-2222', callerPhone: '052-765-2222', ivruniqueid: 'claude-1' }) as never,
    );
    await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: customer,
      text: 'היי, כאן אבי. הדוד שלי לא מחמם מאתמול, תוכלו לבוא מחר בבוקר?',
    });
    // The summary is written when the owner is told, just after the lead is saved.
    const lead = await eventually<Lead>(
      async () => await LeadModel.findOne({ tenantId: tenant.id, phone: customer, status: 'new', summary: { $exists: true } }),
      20_000,
      'lead with its summary',
    );
    expect(lead).toMatchObject({
      name: 'אבי',
      need: 'תיקון דוד שלא מחמם',
      preferredTime: 'מחר בבוקר',
      summary: 'אבי – תיקון דוד שלא מחמם, נוח לו מחר בבוקר',
    });
    const alert = await h.whatsapp.waitForSent((m) => m.to === '+972547654321', 20_000);
    expect(alert.template?.bodyParams[0]).toContain('אבי – תיקון דוד שלא מחמם');
    // The customer's words reached Claude; the phone number never did.
    expect(h.anthropic.requests.some((r) => userTextOf(r).includes('הדוד שלי לא מחמם'))).toBe(true);
    expect(h.anthropic.requests.every((r) => !JSON.stringify(r).includes('765-2222') && !JSON.stringify(r).includes('7652222'))).toBe(true);
  });

  it('falls back to the rules when Claude invents a phone number', async () => {
    h.anthropic.respondWith((request) =>
      systemOf(request).includes('pull out lead details')
        ? JSON.stringify({ name: 'משה', need: 'התקנת מזגן, התקשרו 050-1234567', preferredTime: null })
        : 'משה – התקנת מזגן, 050-1234567',
    );
    const customer = '+972527653333';
    await postProviderWebhook(
      h.webhookUrl('voicenter', keys.voicenter),
      voicenterMissedCall({ caller: '052-765-3333', callerPhone: '052-765-3333', ivruniqueid: 'claude-2' }) as never,
    );
    await h.whatsapp.waitForSent((m) => m.to === customer, 20_000);
    await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: customer,
      text: 'אני משה, צריך התקנת מזגן, אפשר ביום ראשון אחרי 5',
    });
    const lead = await eventually<Lead>(
      async () => await LeadModel.findOne({ tenantId: tenant.id, phone: customer, status: 'new', summary: { $exists: true } }),
      20_000,
      'lead with its summary',
    );
    expect(lead.name).toBe('משה');
    expect(`${lead.need} ${lead.summary}`).not.toContain('050-1234567');
    expect(lead.preferredTime).toContain('אחרי 5');
  });
});
