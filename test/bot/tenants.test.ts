/** `findo tenant set` refuses what cannot be right, says why, and changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { getSecret } from '../../bot/secrets.ts';
import { createTenant, setTenantSettings, TenantInputError } from '../../bot/tenants.ts';
import { Vault } from '../../bot/vault.ts';
import { connectTestDatabase } from '../support/database.ts';

describe('tenant settings validation', () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  const vault = new Vault(Buffer.alloc(32, 2));
  let tenant: Tenant;

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    await createTenant({ name: 'Other Salon', ownerPhones: ['050-111-2222'], whatsappNumberId: '200000000000001' }, vault);
    ({ tenant } = await createTenant(
      {
        name: 'Dani Plumbing',
        ownerPhones: ['054-765-4321'],
        whatsappNumberId: '100000000000001',
        reviewLink: 'https://g.page/r/dani/review',
      },
      vault,
    ));
  });
  afterAll(() => db.close());

  const reload = async () => (await TenantModel.findById(tenant.id))!;

  it.each([
    ['a landline owner phone', 'ownerPhones=03-9876543', /landline/],
    ['the same owner phone twice', 'ownerPhones=054-765-4321,0547654321', /given twice/],
    ['an empty whatsappNumberId', 'whatsappNumberId=', /numeric phone number id/],
    ["another tenant's whatsappNumberId", 'whatsappNumberId=200000000000001', /already belongs to another tenant/],
    ['a plain-http reviewLink', 'reviewLink=http://g.page/r/dani/review', /https URL/],
    ['a reviewLink carrying markup', 'reviewLink=https://g.page/r/x"><script>alert(1)</script>', /without markup/],
    ['an empty whatsappToken', 'whatsappToken=', /must not be empty/],
  ])('refuses %s, with the reason, and changes nothing', async (_what, pair, reason) => {
    const before = (await reload()).toObject();
    await expect(setTenantSettings(await reload(), [pair, 'paused=true'], vault)).rejects.toThrow(TenantInputError);
    await expect(setTenantSettings(await reload(), [pair], vault)).rejects.toThrow(reason);
    const after = (await reload()).toObject();
    expect({ ...after, updatedAt: 0 }).toEqual({ ...before, updatedAt: 0 });
  });

  it('refuses a landline owner phone at creation too', async () => {
    await expect(createTenant({ name: 'Landline Shop', ownerPhones: ['02-6234567'] }, vault)).rejects.toThrow(/landline/);
  });

  it('sets a whatsappToken and removes it again with whatsappToken=--clear', async () => {
    await setTenantSettings(await reload(), ['whatsappToken=EAAG-tenant-own-token'], vault);
    expect(await getSecret(tenant.id, 'whatsappToken', vault)).toBe('EAAG-tenant-own-token');
    await setTenantSettings(await reload(), ['whatsappToken=--clear'], vault);
    expect(await getSecret(tenant.id, 'whatsappToken', vault)).toBeNull();
  });

  it('removes the whatsappNumberId and the reviewLink with --clear', async () => {
    const cleared = await setTenantSettings(await reload(), ['whatsappNumberId=--clear', 'reviewLink=--clear'], vault);
    expect(cleared.whatsappNumberId).toBeUndefined();
    expect(cleared.reviewLink).toBeUndefined();
  });
});
