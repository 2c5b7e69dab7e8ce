/** Shared setup for the Google integration tests: OAuth config and a connected tenant over the fake. */
import { GoogleOAuth, type GoogleOAuthConfig } from '../../../integrations/google/oauth.ts';
import type { FakeGoogle } from '../../../integrations/google/fake-server.ts';
import type { GoogleTokens } from '../../../integrations/google/tokens.ts';

export function oauthConfig(fake: FakeGoogle): GoogleOAuthConfig {
  return {
    clientId: 'findo-test.apps.googleusercontent.com',
    clientSecret: 'test-client-secret',
    redirectUri: 'https://findo.example.com/oauth/google/callback',
    oauthUrl: fake.url,
  };
}

/** Walks the owner through consent on the fake and exchanges the code, as `findo google connect` does. */
export async function connectOwner(fake: FakeGoogle): Promise<GoogleTokens> {
  const oauth = new GoogleOAuth(oauthConfig(fake));
  const consent = await fetch(oauth.consentUrl('tenant-1'), { redirect: 'manual' });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  return oauth.exchangeCode(code);
}
