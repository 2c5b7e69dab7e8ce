/**
 * The OAuth `state` of a personal "connect Google" link: which tenant and owner phone it is for,
 * the nonce that makes it single-use, and when it expires, signed with HMAC-SHA256 under a key
 * derived from the master key. The callback trusts nothing in a state whose signature fails.
 *
 * Form: `<base64url(JSON payload)>.<base64url(HMAC of the first part)>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** The purpose the signing key is derived for (see Vault.deriveKey). */
export const OAUTH_STATE_KEY_PURPOSE = 'oauth-state';

/** How long a link works after it was sent. */
export const OAUTH_STATE_LIFETIME_MS = 30 * 60_000;

const payloadSchema = z.object({
  /** Tenant id. */
  t: z.string().min(1),
  /** Owner phone, E.164. */
  p: z.string().min(1),
  /** Nonce of the stored link (GoogleConnectModel). */
  n: z.string().min(1),
  /** Expiry, epoch ms. */
  e: z.number().int(),
});

export interface OAuthState {
  tenantId: string;
  ownerPhone: string;
  nonce: string;
  expiresAt: Date;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function signOAuthState(key: Buffer, state: OAuthState): string {
  const body = Buffer.from(
    JSON.stringify({ t: state.tenantId, p: state.ownerPhone, n: state.nonce, e: state.expiresAt.getTime() }),
  ).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The state if its signature holds (expiry is the caller's to check), else null. */
export function verifyOAuthState(key: Buffer, value: string): OAuthState | null {
  const [body, signature, extra] = value.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return null;
  return { tenantId: parsed.data.t, ownerPhone: parsed.data.p, nonce: parsed.data.n, expiresAt: new Date(parsed.data.e) };
}
