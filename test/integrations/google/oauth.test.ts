import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isIntegrationError } from '../../../integrations/errors.ts';
import { startFakeGoogle, type FakeGoogle } from '../../../integrations/google/fake-server.ts';
import { BUSINESS_MANAGE_SCOPE, GoogleOAuth } from '../../../integrations/google/oauth.ts';
import { oauthConfig } from './support.ts';

let fake: FakeGoogle;
let oauth: GoogleOAuth;

beforeEach(async () => {
  fake = await startFakeGoogle();
  oauth = new GoogleOAuth(oauthConfig(fake));
});
afterEach(() => fake.close());

async function consentCode(state: string): Promise<{ code: string; state: string | null }> {
  const answer = await fetch(oauth.consentUrl(state), { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const redirect = new URL(answer.headers.get('location')!);
  expect(redirect.origin + redirect.pathname).toBe('https://findo.example.com/oauth/google/callback');
  return { code: redirect.searchParams.get('code')!, state: redirect.searchParams.get('state') };
}

describe('Google OAuth', () => {
  it('builds a consent URL for offline business.manage access on GOOGLE_OAUTH_URL', () => {
    const url = new URL(oauth.consentUrl('tenant-42'));
    expect(url.origin).toBe(fake.url);
    expect(url.pathname).toBe('/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      scope: BUSINESS_MANAGE_SCOPE,
      state: 'tenant-42',
      response_type: 'code',
      client_id: 'findo-test.apps.googleusercontent.com',
      redirect_uri: 'https://findo.example.com/oauth/google/callback',
    });
  });

  it("uses Google's own consent page when GOOGLE_OAUTH_URL is not set", () => {
    const url = new URL(new GoogleOAuth({ ...oauthConfig(fake), oauthUrl: undefined }).consentUrl('s'));
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
  });

  it('exchanges the consent code at $GOOGLE_OAUTH_URL/token for access and refresh tokens', async () => {
    const { code, state } = await consentCode('tenant-42');
    expect(state).toBe('tenant-42');
    const before = Date.now();
    const tokens = await oauth.exchangeCode(code);
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.scope).toBe(BUSINESS_MANAGE_SCOPE);
    expect(tokens.expiryDate).toBeGreaterThanOrEqual(before + 3599_000);
    expect(fake.tokenRequests).toEqual({ authorization_code: 1 });
  });

  it('refuses a code used twice as a permanent invalid_grant', async () => {
    const { code } = await consentCode('t');
    await oauth.exchangeCode(code);
    const failure = await oauth.exchangeCode(code).catch((e: unknown) => e);
    expect(isIntegrationError(failure) && failure.kind).toBe('permanent');
    expect(isIntegrationError(failure) && failure.details.code).toBe('invalid_grant');
  });

  it('refreshes an access token and keeps the refresh token', async () => {
    const tokens = await oauth.exchangeCode((await consentCode('t')).code);
    const refreshed = await oauth.refresh(tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(fake.tokenRequests.refresh_token).toBe(1);
  });

  it('reports a revoked grant on refresh as permanent invalid_grant', async () => {
    const tokens = await oauth.exchangeCode((await consentCode('t')).code);
    fake.revokeGrant();
    const failure = await oauth.refresh(tokens.refreshToken).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'permanent', details: { provider: 'google', code: 'invalid_grant' } });
    expect(String(failure)).not.toContain(tokens.refreshToken);
  });
});
