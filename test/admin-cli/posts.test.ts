/** `findo posts list`: the real CLI as a child process over posts stored in the test database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostModel, type Tenant } from '../../bot/db/models/index.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { ago, backdate, cliEnv, DAY, HOUR, oneErrorLine, seedTenant } from './seed.ts';

const POST_FIELDS = [
  'id',
  'tenantId',
  'key',
  'origin',
  'state',
  'language',
  'text',
  'draft',
  'googleName',
  'googleState',
  'createdAt',
  'publishedAt',
  'checkedAt',
].sort();

describe('findo posts list', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dani: Tenant;

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    dani = await seedTenant('Dani Plumbing', 'dani-plumbing');
    const noa = await seedTenant('Noa Salon', 'noa-salon');
    const live = await PostModel.create({
      tenantId: dani.id,
      key: 'weekly:2026-11-26T08:00:00.000Z',
      origin: 'weekly',
      state: 'live',
      draft: 'שבוע טוב מכל הצוות של Dani Plumbing!',
      text: 'שבוע טוב! תיקנו השבוע שלושה דודים.',
      language: 'he',
      googleName: 'accounts/1/locations/2/localPosts/3',
      googleState: 'LIVE',
      publishedAt: ago(DAY),
    });
    await backdate(PostModel, live._id, { createdAt: ago(2 * DAY) });
    await PostModel.create({ tenantId: dani.id, key: 'owner:wamid.1', origin: 'owner', draft: 'טיוטה חדשה', language: 'he' });
    await PostModel.create({
      tenantId: noa.id,
      key: 'owner:wamid.2',
      origin: 'owner',
      state: 'skipped',
      draft: 'Noa draft',
      language: 'en',
    });
    await backdate(PostModel, (await PostModel.findOne({ tenantId: noa.id }))!._id, { createdAt: ago(HOUR) });
  });
  afterAll(() => db?.close());

  it("lists a tenant's posts newest first as stable JSON", async () => {
    const result = await runCli(['posts', 'list', '--tenant', 'dani-plumbing', '--json'], env);
    expect(result.code).toBe(0);
    const posts = result.json<Array<Record<string, unknown>>>();
    expect(posts.map((p) => p.key)).toEqual(['owner:wamid.1', 'weekly:2026-11-26T08:00:00.000Z']);
    for (const post of posts) expect(Object.keys(post).sort()).toEqual(POST_FIELDS);
    expect(posts[0]).toMatchObject({ state: 'awaiting_owner', text: 'טיוטה חדשה', googleName: null, publishedAt: null });
    expect(posts[1]).toMatchObject({
      state: 'live',
      text: 'שבוע טוב! תיקנו השבוע שלושה דודים.',
      googleName: 'accounts/1/locations/2/localPosts/3',
      googleState: 'LIVE',
    });
  });

  it('lists every tenant, filters by state, and prints a table', async () => {
    const all = await runCli(['posts', 'list', '--json'], env);
    expect(all.json<unknown[]>()).toHaveLength(3);
    const skipped = await runCli(['posts', 'list', '--state', 'skipped', '--json'], env);
    expect(skipped.json<Array<{ key: string }>>().map((p) => p.key)).toEqual(['owner:wamid.2']);
    const table = await runCli(['posts', 'list', '--tenant', 'dani-plumbing'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('accounts/1/locations/2/localPosts/3');
    expect(table.stdout).toContain('dani-plumbing');
  });

  it('a bad state is a usage error', async () => {
    const result = await runCli(['posts', 'list', '--state', 'posted'], env);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result)).toMatch(/--state must be one of awaiting_owner, publishing/);
  });
});
