/**
 * Google OAuth for Business Profile: the consent URL a tenant's owner opens, the code exchange,
 * and the refresh of an access token. Built on google-auth-library's `OAuth2Client` (googleapis'
 * `google.auth.OAuth2`, without loading every Google API).
 */
import { createHash, randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import type { Auth } from 'googleapis';
import { IntegrationError } from '../errors.ts';
import { toIntegrationError } from './errors.ts';
import type { GoogleTokens } from './tokens.ts';

/** The single read/write scope of every Business Profile API. */
export const BUSINESS_MANAGE_SCOPE = 'https://www.googleapis.com/auth/business.manage';

/** A PKCE pair (RFC 7636, S256): the verifier stays on the server, the challenge goes in the consent URL. */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
}

/** A fresh PKCE pair: 32 random bytes as the verifier (43 characters), its SHA-256 as the challenge. */
export function newPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') };
}

/** The OAuth client registered with Google (`GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET`, `GOOGLE_REDIRECT_URI`). */
export interface GoogleOAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /**
   * `GOOGLE_OAUTH_URL`: when set, the token endpoint is `<oauthUrl>/token` and the consent page
   * `<oauthUrl>/o/oauth2/v2/auth` (Google's consent path). Default: Google's own hosts.
   */
  oauthUrl?: string;
}

/**
 * A googleapis OAuth2 client for this configuration. google-auth-library 10 takes endpoint
 * overrides through the `endpoints` constructor option (`oauth2TokenUrl`, `oauth2AuthBaseUrl`).
 */
export function createOAuth2Client(config: GoogleOAuthConfig): Auth.OAuth2Client {
  const base = config.oauthUrl?.replace(/\/+$/, '');
  return new OAuth2Client({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    ...(base ? { endpoints: { oauth2TokenUrl: `${base}/token`, oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth` } } : {}),
  });
}

/** The OAuth steps of connecting a tenant's Google account and keeping its access token alive. */
export class GoogleOAuth {
  constructor(private readonly config: GoogleOAuthConfig) {}

  /**
   * The URL the owner opens to grant Findo access. `offline` is what yields a refresh token, and
   * Google returns one only from a consent screen, so `prompt=consent` makes reconnects reliable.
   * @param state opaque value echoed to the redirect URI (ties the callback to the tenant, blocks CSRF)
   * @param codeChallenge PKCE S256 challenge; the exchange must then present its verifier
   */
  consentUrl(state: string, codeChallenge?: string): string {
    return createOAuth2Client(this.config).generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: [BUSINESS_MANAGE_SCOPE],
      state,
      ...(codeChallenge ? { code_challenge: codeChallenge, code_challenge_method: CodeChallengeMethod.S256 } : {}),
    });
  }

  /** Exchanges the code from the consent redirect (and its PKCE verifier, if any) for tokens. Throws IntegrationError. */
  async exchangeCode(code: string, codeVerifier?: string): Promise<GoogleTokens> {
    let credentials: Auth.Credentials;
    try {
      ({ tokens: credentials } = await createOAuth2Client(this.config).getToken({ code, ...(codeVerifier ? { codeVerifier } : {}) }));
    } catch (error) {
      throw toIntegrationError(error, 'code exchange');
    }
    if (!credentials.refresh_token) {
      throw new IntegrationError('Google returned no refresh token; run the consent again', 'permanent', {
        provider: 'google',
        code: 'no_refresh_token',
      });
    }
    return toGoogleTokens(credentials, credentials.refresh_token);
  }

  /**
   * A new access token for a refresh token. A revoked or expired grant throws a permanent
   * IntegrationError with code `invalid_grant`: the owner has to connect again.
   */
  async refresh(refreshToken: string): Promise<GoogleTokens> {
    const client = createOAuth2Client(this.config);
    client.setCredentials({ refresh_token: refreshToken });
    let credentials: Auth.Credentials;
    try {
      ({ credentials } = await client.refreshAccessToken());
    } catch (error) {
      throw toIntegrationError(error, 'token refresh');
    }
    // A refresh answers without a refresh token: the grant's token stays the same.
    return toGoogleTokens(credentials, refreshToken);
  }
}

function toGoogleTokens(credentials: Auth.Credentials, refreshToken: string): GoogleTokens {
  if (!credentials.access_token || !credentials.expiry_date) {
    throw new IntegrationError('Google token response lacks access_token or expires_in', 'transient', {
      provider: 'google',
      code: 'bad_token_response',
    });
  }
  return {
    accessToken: credentials.access_token,
    refreshToken,
    expiryDate: credentials.expiry_date,
    ...(credentials.scope ? { scope: credentials.scope } : {}),
  };
}
