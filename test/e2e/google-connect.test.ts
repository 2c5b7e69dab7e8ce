/**
 * Connecting Google from the owner's chat, end to end: the owner writes `גוגל` over a signed
 * WhatsApp webhook, follows the link through the fake Google's consent page, which redirects to the
 * real `/oauth/google/callback`; PKCE is checked by the fake's token endpoint. The callback refuses
 * a forged, reused or expired state, a missing code, a denied consent and a refused code, each
 * with nothing changed. Real server, workers and database.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretModel, TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { createGoogleConnectLink } from '../../bot/flows/google-connect.ts';
import { createTenant, setTenantSettings } from '../../bot/tenants.ts';
import { t } from '../../bot/texts/index.ts';
import { GOOGLE_TOKENS_SECRET } from '../../bot/google-token-store.ts';
import type { FakeAccountJson } from '../../integrations/google/fake-server.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { sentTo } from '../bot/flows/reviews-support.ts';

const OWNER = '+972547654321';
const OTHER_OWNER = '+972547654322';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connecting Google from the owner’s chat', () => {
  let h: Harness;
  let tenant: Tenant;
  let account: FakeAccountJson;

  beforeAll(async () => {
    const port = await freePort();
    // No GOOGLE_REDIRECT_URI: it defaults to $FINDO_PUBLIC_URL/oauth/google/callback.
    h = await startHarness(import.meta.filename, {
      env: { PORT: String(port), FINDO_PUBLIC_URL: `http://127.0.0.1:${port}`, GOOGLE_REDIRECT_URI: '' },
    });
    ({ tenant } = await h.createTenant({ ownerPhones: ['054-765-4321'] }));
    account = h.google.addAccount({ accountName: 'Dani Plumbing' });
  });
  afterAll(() => h?.stop());

  /** The owner writes `text`; resolves with Findo's answer to that message. */
  async function ownerSays(text: string, from = OWNER, phoneNumberId = BUSINESS_NUMBER_ID): Promise<string> {
    const delivery = await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId, from, text });
    expect(delivery.status).toBe(200);
    const answer = await h.whatsapp.waitForSent((m) => m.to === from && m.replyToMessageId === delivery.messageId, 20_000);
    return answer.text ?? '';
  }

  const linkIn = (text: string) => new URL(/https?:\/\/\S+/.exec(text)![0]);

  it('גוגל → personal link → consent → the single location is linked and the owner told', async () => {
    const location = h.google.addLocation(account.name, { title: 'Dani Plumbing Haifa' });
    const link = linkIn(await ownerSays('גוגל'));
    expect(link.origin).toBe(h.google.url);
    expect(link.searchParams.get('redirect_uri')).toBe(`${h.url}/oauth/google/callback`);
    expect(link.searchParams.get('code_challenge_method')).toBe('S256');
    expect(link.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);

    // The browser follows Google's redirect to our callback.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('מחובר!');
    expect(html).not.toContain('<script');

    const stored = (await TenantModel.findById(tenant._id))!;
    expect(stored.google).toMatchObject({ accountName: account.name, locationName: location.name, connected: true });
    expect(await SecretModel.countDocuments({ tenantId: tenant.id, name: GOOGLE_TOKENS_SECRET })).toBe(1);
    await eventually(
      async () => sentTo(h, OWNER).includes(t('he', 'owner.google.connected', { title: 'Dani Plumbing Haifa' })),
      10_000,
      'owner told',
    );
  });

  it('with two locations the owner gets a numbered list, answers 2, and the second is linked', async () => {
    const second = h.google.addLocation(account.name, { title: 'Dani Plumbing Tel Aviv' });
    const page = await fetch(linkIn(await ownerSays('google')));
    expect(page.status).toBe(200);
    const list = t('he', 'owner.google.pickLocation', { list: '1. Dani Plumbing Haifa\n2. Dani Plumbing Tel Aviv' });
    await eventually(async () => sentTo(h, OWNER).includes(list), 10_000, 'the numbered list');

    expect(await ownerSays('2')).toBe(t('he', 'owner.google.connected', { title: 'Dani Plumbing Tel Aviv' }));
    expect((await TenantModel.findById(tenant._id))!.google?.locationName).toBe(second.name);
    // The list is answered: a later "2" is no longer a pick.
    expect(await ownerSays('2')).toBe(t('he', 'owner.unknownCommand'));
  });

  describe('the callback refuses, with nothing changed', () => {
    let other: Tenant;
    const callback = (query: Record<string, string>) => fetch(`${h.url}/oauth/google/callback?${new URLSearchParams(query)}`);
    /** Follows the consent page by hand and returns where Google sent the browser. */
    async function consentRedirect(link: string): Promise<URL> {
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(302);
      return new URL(res.headers.get('location')!);
    }
    const snapshot = async () => {
      const doc = (await TenantModel.findById(other._id))!.toObject();
      return {
        google: doc.google,
        reviewLink: doc.reviewLink,
        tokens: await SecretModel.countDocuments({ tenantId: other.id, name: GOOGLE_TOKENS_SECRET }),
      };
    };
    let before: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      const created = await createTenant(
        { name: 'Other Shop', ownerPhones: [OTHER_OWNER], whatsappNumberId: '106540352242999' },
        h.findo.services.vault,
      );
      other = await setTenantSettings(created.tenant, ['quietHours=off', 'observeShabbat=false'], h.findo.services.vault);
      before = await snapshot();
    });

    it('a forged state (payload changed, signature kept)', async () => {
      const redirect = await consentRedirect(await createGoogleConnectLink(h.findo.services, other, OTHER_OWNER));
      const [body, signature] = redirect.searchParams.get('state')!.split('.');
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
      const forged = `${Buffer.from(JSON.stringify({ ...payload, t: tenant.id })).toString('base64url')}.${signature}`;
      const res = await callback({ code: redirect.searchParams.get('code')!, state: forged });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('הקישור לא תקין');
      expect(await snapshot()).toEqual(before);
    });

    it('an expired state (made 31 minutes ago), and the owner is told', async () => {
      const longAgo = new Date(Date.now() - 31 * 60_000);
      const res = await fetch(await createGoogleConnectLink(h.findo.services, other, OTHER_OWNER, longAgo));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('הקישור פג תוקף');
      expect(await snapshot()).toEqual(before);
      await eventually(async () => sentTo(h, OTHER_OWNER).includes(t('he', 'owner.google.expired')), 10_000, 'owner told of the expiry');
    });

    it('a missing code', async () => {
      const redirect = await consentRedirect(await createGoogleConnectLink(h.findo.services, other, OTHER_OWNER));
      const res = await callback({ state: redirect.searchParams.get('state')! });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('גוגל לא השלים את החיבור');
      expect(await snapshot()).toEqual(before);
    });

    it('a code Google refuses (PKCE verifier or code wrong)', async () => {
      const redirect = await consentRedirect(await createGoogleConnectLink(h.findo.services, other, OTHER_OWNER));
      const res = await callback({ state: redirect.searchParams.get('state')!, code: `${redirect.searchParams.get('code')}x` });
      expect(res.status).toBe(400);
      expect(await snapshot()).toEqual(before);
      await eventually(async () => sentTo(h, OTHER_OWNER).includes(t('he', 'owner.google.failed')), 10_000, 'owner told of the failure');
    });

    it('a denied consent, and the owner is told', async () => {
      h.google.denyNextConsent();
      const res = await fetch(await createGoogleConnectLink(h.findo.services, other, OTHER_OWNER));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('לא ניתנה גישה');
      expect(await snapshot()).toEqual(before);
      await eventually(async () => sentTo(h, OTHER_OWNER).includes(t('he', 'owner.google.denied')), 10_000, 'owner told of the denial');
    });

    it('a reused state: the second visit changes nothing the first one made', async () => {
      const redirect = await consentRedirect(await createGoogleConnectLink(h.findo.services, other, OTHER_OWNER));
      // The grant sees both locations of the shared fake account: the owner is asked to pick.
      expect((await callback(Object.fromEntries(redirect.searchParams))).status).toBe(200);
      const afterFirst = await snapshot();
      const secretBefore = await SecretModel.findOne({ tenantId: other.id, name: GOOGLE_TOKENS_SECRET }).lean();
      const again = await callback(Object.fromEntries(redirect.searchParams));
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('כבר השתמשו בו');
      expect(await snapshot()).toEqual(afterFirst);
      expect(await SecretModel.findOne({ tenantId: other.id, name: GOOGLE_TOKENS_SECRET }).lean()).toEqual(secretBefore);
    });
  });
});
