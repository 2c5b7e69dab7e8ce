import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerModel, LeadModel, TenantModel } from '../../../bot/db/models/index.ts';
import { TenantScopeError } from '../../../bot/db/tenant-scope.ts';
import { createTenant, findTenant } from '../../../bot/tenants.ts';
import { Vault } from '../../../bot/vault.ts';
import { connectTestDatabase } from '../../support/database.ts';

describe('tenant guard', () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  const vault = new Vault(Buffer.alloc(32, 1));
  let a: string;
  let b: string;

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    a = (await createTenant({ name: 'Alpha Garage', ownerPhones: ['054-765-4321'] }, vault)).tenant.id;
    b = (await createTenant({ name: 'Beta Clinic', ownerPhones: ['054-765-4322'] }, vault)).tenant.id;
    await CustomerModel.create({ tenantId: a, phone: '+972541111111', name: 'Alpha customer' });
    await CustomerModel.create({ tenantId: b, phone: '+972541111111', name: 'Beta customer' });
  });
  afterAll(() => db.close());

  it('refuses a query, update or delete that names no tenant', async () => {
    await expect(CustomerModel.find({ phone: '+972541111111' })).rejects.toThrow(TenantScopeError);
    await expect(CustomerModel.findOne({})).rejects.toThrow(/query without tenantId/);
    await expect(CustomerModel.updateMany({}, { $set: { optedOut: true } })).rejects.toThrow(TenantScopeError);
    await expect(CustomerModel.deleteMany({})).rejects.toThrow(TenantScopeError);
    await expect(CustomerModel.countDocuments({})).rejects.toThrow(TenantScopeError);
    await expect(CustomerModel.find({ tenantId: { $in: [a, b] } })).rejects.toThrow(TenantScopeError);
    await expect(CustomerModel.aggregate([{ $group: { _id: null, n: { $sum: 1 } } }])).rejects.toThrow(TenantScopeError);
    await expect(LeadModel.insertMany([{ phone: '+972541111111', source: 'inbound', conversationId: 'x' }])).rejects.toThrow();
    // Nothing was changed by the refused calls.
    expect(await CustomerModel.countDocuments({ tenantId: a, optedOut: true })).toBe(0);
    expect(await CustomerModel.countDocuments({ tenantId: b })).toBe(1);
  });

  it('one tenant cannot read another tenant’s documents', async () => {
    const seenByA = await CustomerModel.find({ tenantId: a });
    expect(seenByA.map((c) => c.name)).toEqual(['Alpha customer']);
    const bCustomer = await CustomerModel.findOne({ tenantId: b });
    // Knowing the other tenant's document id is not enough.
    expect(await CustomerModel.findOne({ tenantId: a, _id: bCustomer!._id })).toBeNull();
    await expect(CustomerModel.findById(bCustomer!._id)).rejects.toThrow(TenantScopeError);
  });

  it('counts per tenant with an aggregate that starts with the tenant', async () => {
    const [row] = await CustomerModel.aggregate([{ $match: { tenantId: a } }, { $group: { _id: '$tenantId', n: { $sum: 1 } } }]);
    expect(row).toEqual({ _id: a, n: 1 });
  });

  it('finds a tenant by id or slug', async () => {
    expect((await findTenant(a)).slug).toBe('alpha-garage');
    expect((await findTenant('beta-clinic')).id).toBe(b);
    await expect(findTenant('nope')).rejects.toThrow(/no tenant with id or slug "nope"/);
    expect(await TenantModel.countDocuments({})).toBe(2);
  });
});
