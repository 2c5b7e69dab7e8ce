/**
 * Google Business Profile clients per tenant: each tenant's own OAuth grant, kept encrypted in the
 * secrets collection (bot/google-token-store.ts). Clients are cached per tenant so their
 * access token is reused between calls; the store's refresh lock keeps concurrent workers (and
 * processes) to one refresh.
 */
import type { Config } from './config.ts';
import type { Tenant } from './db/models/index.ts';
import { SecretModel } from './db/models/index.ts';
import type { Vault } from './vault.ts';
import { IntegrationError } from '../integrations/errors.ts';
import { createGoogleClient, type BusinessProfilePort } from '../integrations/google/client.ts';
import { GoogleOAuth, type GoogleOAuthConfig } from '../integrations/google/oauth.ts';
import { GOOGLE_TOKENS_SECRET, mongoTokenStore } from './google-token-store.ts';

/** Thrown (permanent, code `not_connected`) when a tenant cannot reach Google at all. */
export function notConnected(message: string): IntegrationError {
  return new IntegrationError(message, 'permanent', { provider: 'google', code: 'not_connected' });
}

/**
 * The OAuth client from `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET`, `GOOGLE_REDIRECT_URI` (and
 * `GOOGLE_OAUTH_URL`), or a `not_connected` error naming what is missing.
 */
export function googleOAuthConfig(config: Config): GoogleOAuthConfig {
  const { clientId, clientSecret, redirectUri, oauthUrl } = config.google;
  const missing = [
    ['GOOGLE_CLIENT_ID', clientId],
    ['GOOGLE_CLIENT_SECRET', clientSecret],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length) throw notConnected(`Google OAuth is not configured: set ${missing.join(', ')}`);
  return { clientId: clientId!, clientSecret: clientSecret!, redirectUri, ...(oauthUrl ? { oauthUrl } : {}) };
}

/** The consent and code-exchange steps for this configuration. */
export function googleOAuth(config: Config): GoogleOAuth {
  return new GoogleOAuth(googleOAuthConfig(config));
}

/**
 * Builds `services.googleFor`: the tenant's BusinessProfilePort, or a permanent IntegrationError
 * `not_connected` when Google is not configured or the tenant has no stored grant.
 */
export function googleClientResolver(config: Config, vault: Vault): (tenant: Tenant) => Promise<BusinessProfilePort> {
  const clients = new Map<string, BusinessProfilePort>();
  return async (tenant) => {
    const oauth = googleOAuthConfig(config);
    const tenantId = tenant.id as string;
    // Checked on every call: a grant removed by staff (or never made) must not be served from cache.
    if (!(await SecretModel.exists({ tenantId, name: GOOGLE_TOKENS_SECRET }))) {
      throw notConnected(`Google is not connected for tenant ${tenant.slug} (run: findo google connect ${tenant.slug})`);
    }
    let client = clients.get(tenantId);
    if (!client) {
      client = createGoogleClient({ ...oauth, apiUrl: config.google.apiUrl, tokens: mongoTokenStore({ tenantId, vault }) });
      clients.set(tenantId, client);
    }
    return client;
  };
}
