import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LockModel, SecretModel } from '../../bot/db/models/index.ts';
import { Vault } from '../../bot/vault.ts';
import { createGoogleClient } from '../../integrations/google/client.ts';
import { startFakeGoogle, type FakeGoogle } from '../../integrations/google/fake-server.ts';
import { GOOGLE_TOKENS_LOCK, GOOGLE_TOKENS_SECRET, mongoTokenStore } from '../../bot/google-token-store.ts';
import { connectTestDatabase } from '../support/database.ts';
import { connectOwner, oauthConfig } from '../integrations/google/support.ts';

const vault = new Vault(randomBytes(32));
let fake: FakeGoogle;
let tenantId: string;
let closeDatabase: () => Promise<void>;

beforeAll(async () => {
  ({ close: closeDatabase } = await connectTestDatabase(import.meta.filename));
});
afterAll(() => closeDatabase());
beforeEach(async () => {
  fake = await startFakeGoogle();
  tenantId = `tenant-${randomUUID()}`;
});
afterEach(() => fake.close());

/** Another worker's refresh lock on this tenant, as the store writes it. */
async function holdLock(owner: string, until: Date) {
  await LockModel.create({ tenantId, key: GOOGLE_TOKENS_LOCK, owner, until });
}

describe('MongoDB token store', () => {
  it('keeps tokens encrypted, per tenant', async () => {
    const tokens = await connectOwner(fake);
    await mongoTokenStore({ tenantId, vault }).save(tokens);

    expect(await mongoTokenStore({ tenantId, vault }).load()).toEqual(tokens);
    expect(await mongoTokenStore({ tenantId: 'another-tenant', vault }).load()).toBeNull();
    const stored = JSON.stringify(await SecretModel.findOne({ tenantId, name: GOOGLE_TOKENS_SECRET }).lean());
    expect(stored).not.toContain(tokens.refreshToken);
    expect(stored).not.toContain(tokens.accessToken);
  });

  it('two workers refreshing the same expiring token at once hit the token endpoint once', async () => {
    fake.setAccessTokenLifetime(30);
    await mongoTokenStore({ tenantId, vault }).save(await connectOwner(fake));
    fake.setAccessTokenLifetime(3599);
    const location = fake.addLocation(fake.addAccount().name).name;
    // Two workers: separate stores and clients, shared only through the database.
    const worker = () => createGoogleClient({ ...oauthConfig(fake), apiUrl: fake.url, tokens: mongoTokenStore({ tenantId, vault }) });

    await Promise.all([worker().listReviews(location), worker().listReviews(location)]);

    expect(fake.tokenRequests.refresh_token).toBe(1);
    expect(await LockModel.findOne({ tenantId, key: GOOGLE_TOKENS_LOCK })).toBeNull();
  });

  it("a dead worker's expired lock does not block the refresh", async () => {
    await mongoTokenStore({ tenantId, vault }).save(await connectOwner(fake));
    await holdLock('dead-worker', new Date(Date.now() - 1));

    const result = await mongoTokenStore({ tenantId, vault, lockWaitMs: 500 }).withRefreshLock(async () => 'refreshed');

    expect(result).toBe('refreshed');
    expect(await LockModel.findOne({ tenantId, key: GOOGLE_TOKENS_LOCK })).toBeNull();
  });

  it('a lock held by a live worker makes others wait, then give up as transient', async () => {
    await mongoTokenStore({ tenantId, vault }).save(await connectOwner(fake));
    await holdLock('busy-worker', new Date(Date.now() + 60_000));

    const failure = await mongoTokenStore({ tenantId, vault, lockWaitMs: 200 })
      .withRefreshLock(async () => 'never')
      .catch((e: unknown) => e);

    expect(failure).toMatchObject({ kind: 'transient', details: { code: 'token_lock_timeout' } });
  });
});
