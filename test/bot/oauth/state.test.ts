import { describe, expect, it } from 'vitest';
import { OAUTH_STATE_KEY_PURPOSE, signOAuthState, verifyOAuthState } from '../../../bot/oauth/state.ts';
import { Vault } from '../../../bot/vault.ts';

const vault = new Vault(Buffer.alloc(32, 7));
const key = vault.deriveKey(OAUTH_STATE_KEY_PURPOSE);
const state = {
  tenantId: '65f000000000000000000001',
  ownerPhone: '+972547654321',
  nonce: 'n-1',
  expiresAt: new Date('2026-12-02T05:00:00Z'),
};

describe('OAuth state', () => {
  it('round-trips what it names', () => {
    expect(verifyOAuthState(key, signOAuthState(key, state))).toEqual(state);
  });

  it('is signed with a key derived for its purpose, not the master key or another purpose’s key', () => {
    expect(key).toHaveLength(32);
    expect(key.equals(Buffer.alloc(32, 7))).toBe(false);
    expect(vault.deriveKey('other').equals(key)).toBe(false);
    expect(verifyOAuthState(vault.deriveKey('other'), signOAuthState(key, state))).toBeNull();
  });

  it('refuses a changed payload, a changed signature and garbage', () => {
    const signed = signOAuthState(key, state);
    const [body, signature] = signed.split('.');
    const otherBody = Buffer.from(JSON.stringify({ t: 'someone-else', p: state.ownerPhone, n: 'n-1', e: 0 })).toString('base64url');
    expect(verifyOAuthState(key, `${otherBody}.${signature}`)).toBeNull();
    expect(verifyOAuthState(key, `${body}.${signature.slice(0, -2)}AA`)).toBeNull();
    for (const bad of ['', 'x', 'a.b', `${signed}.x`, signed.replace('.', '')]) expect(verifyOAuthState(key, bad)).toBeNull();
  });
});
