/** `findo photos list`: the real CLI as a child process, on seeded photos of two tenants. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhotoModel, type Tenant } from '../../bot/db/models/index.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { ago, backdate, cliEnv, DANI_PHONE, HOUR, MINUTE, NOA_PHONE, oneErrorLine, seedTenant } from './seed.ts';

const FIELDS = [
  'id',
  'tenantId',
  'from',
  'status',
  'category',
  'caption',
  'rejection',
  'failure',
  'mimeType',
  'sizeBytes',
  'width',
  'height',
  'mediaName',
  'googleUrl',
  'waMediaId',
  'receivedAt',
  'uploadedAt',
].sort();

describe('findo photos list (the real CLI as a child process)', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dani: Tenant;
  let noa: Tenant;

  async function photo(tenant: Tenant, waMediaId: string, fields: Record<string, unknown>, at: Date) {
    const created = await PhotoModel.create({ tenantId: tenant.id, waMediaId, waMessageId: `wamid.${waMediaId}`, ...fields });
    await backdate(PhotoModel, created._id, { createdAt: at });
    return created.id as string;
  }

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    dani = await seedTenant('Dani Plumbing', 'dani-plumbing');
    noa = await seedTenant('Noa Salon', 'noa-salon', NOA_PHONE);
    await photo(
      dani,
      '7001',
      {
        from: DANI_PHONE,
        status: 'uploaded',
        category: 'TEAMS',
        caption: 'צוות',
        mimeType: 'image/png',
        sizeBytes: 48_211,
        width: 300,
        height: 320,
        mediaName: 'accounts/1/locations/2/media/AF1QipA',
        googleUrl: 'https://lh3.googleusercontent.com/p/AF1QipA',
        uploadedAt: ago(50 * MINUTE),
        data: Buffer.alloc(48_211, 1),
      },
      ago(HOUR),
    );
    await photo(dani, '7002', { from: DANI_PHONE, status: 'rejected', rejection: 'tooSmall' }, ago(2 * HOUR));
    await photo(
      noa,
      '7003',
      { from: NOA_PHONE, status: 'uploaded', category: 'ADDITIONAL', mediaName: 'accounts/9/locations/8/media/X' },
      ago(3 * HOUR),
    );
  });
  afterAll(() => db?.close());

  it('lists one tenant’s photos newest first in stable camelCase JSON, never the bytes', async () => {
    const result = await runCli(['photos', 'list', '--tenant', 'dani-plumbing', '--json'], env);
    expect(result.code).toBe(0);
    const photos = result.json<Record<string, unknown>[]>();
    expect(photos.map((p) => p.waMediaId)).toEqual(['7001', '7002']);
    for (const p of photos) expect(Object.keys(p).sort()).toEqual(FIELDS);
    expect(photos[0]).toMatchObject({
      tenantId: dani.id,
      status: 'uploaded',
      category: 'TEAMS',
      mediaName: 'accounts/1/locations/2/media/AF1QipA',
      uploadedAt: expect.any(String),
      width: 300,
    });
    expect(photos[1]).toMatchObject({ status: 'rejected', rejection: 'tooSmall', mediaName: null, uploadedAt: null });
  });

  it('lists every tenant, filters by status, and prints a table without --json', async () => {
    const all = await runCli(['photos', 'list', '--status', 'uploaded', '--json'], env);
    expect(all.json<{ waMediaId: string; tenantId: string }[]>().map((p) => [p.waMediaId, p.tenantId])).toEqual([
      ['7001', dani.id],
      ['7003', noa.id],
    ]);
    const table = await runCli(['photos', 'list', '--tenant', 'noa-salon'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/noa-salon .*uploaded\s+ADDITIONAL/);
  });

  it('a bad status or unknown tenant is one clear line and the right exit code', async () => {
    const bad = await runCli(['photos', 'list', '--status', 'lost'], env);
    expect(bad.code).toBe(2);
    expect(oneErrorLine(bad)).toContain('--status must be one of');
    const unknown = await runCli(['photos', 'list', '--tenant', 'nobody', '--json'], env);
    expect(unknown.code).toBe(1);
    oneErrorLine(unknown);
  });
});
