/**
 * `findo google connect|locations|link` and `findo reviews check|list` as staff run them: the real
 * CLI as a child process, against the running service's database and the fake Google.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityModel, ReviewModel, SecretModel, TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings } from '../../bot/tenants.ts';
import { GOOGLE_TOKENS_SECRET } from '../../bot/google-token-store.ts';
import type { FakeAccountJson, FakeLocation } from '../../integrations/google/fake-server.ts';
import { runCli } from '../support/cli.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';
import { consentCode, sentTo } from '../bot/flows/reviews-support.ts';

const OWNER = '+972547654321';

describe('findo google / findo reviews (the real CLI as a child process)', () => {
  let h: Harness;
  let tenant: Tenant;
  let account: FakeAccountJson;
  let location: FakeLocation;
  const cli = (...args: string[]) => runCli(args, h.env);

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant());
    // No review link yet: `google link` derives one.
    tenant = await setTenantSettings(tenant, ['reviewLink='], h.findo.services.vault);
    account = h.google.addAccount({ accountName: 'Dani Plumbing' });
    location = h.google.addLocation(account.name, { title: 'Dani Plumbing Haifa' });
    h.google.addLocation(account.name, { title: 'Dani Plumbing Tel Aviv' });
  });
  afterAll(() => h?.stop());

  it('connect prints the consent URL, with the tenant id as state', async () => {
    const result = await cli('google', 'connect', tenant.slug);
    expect(result.code).toBe(0);
    const url = new URL(result.stdout.trim());
    expect(url.origin).toBe(h.google.url);
    expect(url.searchParams.get('state')).toBe(tenant.id);
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('scope')).toContain('business.manage');

    const json = (await cli('google', 'connect', tenant.id, '--json')).json();
    expect(json).toMatchObject({ tenantId: tenant.id, tenant: tenant.slug });
  });

  it('connect --code exchanges the code and stores the tokens encrypted; a bad code fails in one line', async () => {
    const consentUrl = (await cli('google', 'connect', tenant.slug, '--json')).json().consentUrl as string;
    const code = await consentCode(consentUrl);
    const result = await cli('google', 'connect', tenant.slug, '--code', code, '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ tenantId: tenant.id, connected: true });
    expect(result.stdout).not.toMatch(/ya29|1\/\/fake/);

    const secret = await SecretModel.findOne({ tenantId: tenant.id, name: GOOGLE_TOKENS_SECRET }).lean();
    expect(JSON.stringify(secret)).not.toMatch(/ya29|1\/\/fake/);
    expect((await TenantModel.findById(tenant._id))?.google?.connected).toBe(true);

    const reused = await cli('google', 'connect', tenant.slug, '--code', code);
    expect(reused.code).toBe(1);
    expect(reused.stderr.trim().split('\n')).toHaveLength(1);
    expect(reused.stderr).toMatch(/^findo: .*invalid_grant/);
  });

  it('locations lists the account’s locations', async () => {
    const result = await cli('google', 'locations', tenant.slug, '--json');
    expect(result.code).toBe(0);
    const rows = result.json() as Array<{ name: string; title: string; placeId: string; linked: boolean }>;
    expect(rows.map((r) => r.title).sort()).toEqual(['Dani Plumbing Haifa', 'Dani Plumbing Tel Aviv']);
    expect(rows.find((r) => r.name === location.name)).toMatchObject({ placeId: location.resource.metadata.placeId, linked: false });

    const table = await cli('google', 'locations', tenant.slug);
    expect(table.stdout).toContain(location.name);
  });

  it('link binds a location and derives the review link; bad or unknown locations change nothing', async () => {
    const bad = await cli('google', 'link', tenant.slug, '--location', 'locations/123');
    expect(bad.code).toBe(2);
    const unknown = await cli('google', 'link', tenant.slug, '--location', `${account.name}/locations/999`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not among the locations');
    expect((await TenantModel.findById(tenant._id))?.google?.locationName).toBeUndefined();

    h.google.addReview(location.name, { starRating: 'FIVE', reviewer: { displayName: 'Dana Levi', isAnonymous: false } });
    const result = await cli('google', 'link', tenant.slug, '--location', location.name, '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      locationName: location.name,
      reviewLink: `https://search.google.com/local/writereview?placeid=${location.resource.metadata.placeId}`,
      reviewLinkDerived: true,
    });
    const stored = (await TenantModel.findById(tenant._id))!;
    expect(stored.google).toMatchObject({ accountName: account.name, locationName: location.name, connected: true });
  });

  it('reviews check runs the check now; the workers post the reply; reviews list shows it', async () => {
    h.google.addReview(location.name, { starRating: 'TWO', reviewer: { displayName: 'Yossi', isAnonymous: false }, comment: 'מאחרים' });
    const result = await cli('reviews', 'check', tenant.slug, '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ tenantId: tenant.id, locationName: location.name });
    // Whether the CLI or the service's own first check got there first, each review is handled once.
    await eventually(async () => h.google.repliesReceived.length === 1, 10_000, 'the 5★ reply');
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('טיוטה')), 10_000, 'the 2★ draft');

    const list = await cli('reviews', 'list', '--tenant', tenant.slug, '--json');
    expect(list.code).toBe(0);
    const reviews = list.json() as Array<{ stars: number; reply: { state: string } }>;
    expect(reviews.map((r) => [r.stars, r.reply.state]).sort()).toEqual([
      [2, 'awaiting_owner'],
      [5, 'posted'],
    ]);
    expect(await ReviewModel.countDocuments({ tenantId: tenant.id })).toBe(2);
  });

  it('a revoked grant is one clear line and exit 1, recorded for staff, and told to the owner once', async () => {
    h.google.revokeGrant();
    const result = await cli('google', 'locations', tenant.slug);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`Google access for ${tenant.slug} was revoked or has expired`);
    expect(result.stderr).toContain(`findo google connect ${tenant.slug}`);
    expect((await TenantModel.findById(tenant._id))?.google?.connected).toBe(false);
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'google.revoked' })).toBe(1);

    const again = await cli('reviews', 'check', tenant.slug);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was revoked or has expired');
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('התנתק')), 10_000, 'owner told');
    expect(sentTo(h, OWNER).filter((w) => w.includes('התנתק'))).toHaveLength(1);
  });
});
