/**
 * Google Business Profile clients per tenant: each tenant's own OAuth grant, kept encrypted in the
 * secrets collection (integrations/google/token-store.ts). Clients are cached per tenant so their
 * access token is reused between calls; the store's refresh lock keeps concurrent workers (and
 * processes) to one refresh.
 */
import type { BackoffStrategy } from 'agenda';
import type { Config } from './config.ts';
import type { Tenant } from './db/models/index.ts';
import { SecretModel } from './db/models/index.ts';
import type { Vault } from './vault.ts';
import { IntegrationError } from '../integrations/errors.ts';
import { createGoogleClient, type ReviewsPort } from '../integrations/google/client.ts';
import { GoogleOAuth, type GoogleOAuthConfig } from '../integrations/google/oauth.ts';
import { GOOGLE_TOKENS_SECRET, mongoTokenStore } from '../integrations/google/token-store.ts';

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
  ].filter(([, value]) => !value).map(([name]) => name);
  if (missing.length) throw notConnected(`Google OAuth is not configured: set ${missing.join(', ')}`);
  return { clientId: clientId!, clientSecret: clientSecret!, redirectUri, ...(oauthUrl ? { oauthUrl } : {}) };
}

/** The consent and code-exchange steps for this configuration. */
export function googleOAuth(config: Config): GoogleOAuth {
  return new GoogleOAuth(googleOAuthConfig(config));
}

/**
 * Builds `services.googleFor`: the tenant's ReviewsPort, or a permanent IntegrationError
 * `not_connected` when Google is not configured or the tenant has no stored grant.
 */
export function googleClientResolver(config: Config, vault: Vault): (tenant: Tenant) => Promise<ReviewsPort> {
  const clients = new Map<string, ReviewsPort>();
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

/** How a job retries a failed Google call. */
export interface GoogleBackoffOptions {
  /** First wait after a transient failure; doubles each attempt. */
  delayMs: number;
  /** Longest wait. */
  maxDelayMs: number;
  /** Attempts after the first; then the job gives up. */
  maxRetries: number;
}

/**
 * An Agenda backoff for Google work: permanent failures are not retried; a rate limit waits at
 * least as long as Google asked (`retryAfterMs`); transient failures back off exponentially with
 * 20 % jitter.
 */
export function googleBackoff(options: GoogleBackoffOptions): BackoffStrategy {
  return ({ attempt, error }) => {
    if (attempt > options.maxRetries) return null;
    if (error instanceof IntegrationError && error.kind === 'permanent') return null;
    const exponential = Math.min(options.maxDelayMs, options.delayMs * 2 ** (attempt - 1));
    const jittered = Math.round(exponential * (0.8 + Math.random() * 0.4));
    const asked = error instanceof IntegrationError ? error.details.retryAfterMs : undefined;
    return asked === undefined ? jittered : Math.max(asked, Math.min(jittered, asked * 2));
  };
}
