/**
 * Keeps one tenant's access token usable: refreshed shortly before it expires, or after Google
 * rejected it, and always under the store's refresh lock so concurrent workers refresh only once.
 */
import { IntegrationError } from '../errors.ts';
import type { GoogleOAuth } from './oauth.ts';
import type { GoogleTokens, TokenStore } from './tokens.ts';

/** Refresh this long before expiry by default, so a token never dies in flight. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** The access token a tenant's client sends, renewed on demand through its TokenStore. */
export class AccessTokenSource {
  private cached: GoogleTokens | null = null;

  /** @param refreshMarginMs how long before expiry a token counts as expired; default 60 s */
  constructor(
    private readonly store: TokenStore,
    private readonly oauth: GoogleOAuth,
    private readonly refreshMarginMs = DEFAULT_REFRESH_MARGIN_MS,
  ) {}

  /** A token valid for at least the margin, refreshing it first if needed. */
  async current(): Promise<string> {
    this.cached ??= await this.loadOrFail();
    if (this.isFresh(this.cached)) return this.cached.accessToken;
    return this.renewUnderLock((latest) => !this.isFresh(latest));
  }

  /** A token other than `rejected`, which Google just refused (revoked, or expired early). */
  renewRejected(rejected: string): Promise<string> {
    return this.renewUnderLock((latest) => latest.accessToken === rejected || !this.isFresh(latest));
  }

  private renewUnderLock(needsRenewal: (latest: GoogleTokens) => boolean): Promise<string> {
    return this.store.withRefreshLock(async () => {
      // Re-read inside the lock: another worker may have refreshed while this one waited.
      const latest = await this.loadOrFail();
      if (needsRenewal(latest)) {
        this.cached = await this.oauth.refresh(latest.refreshToken);
        await this.store.save(this.cached);
      } else {
        this.cached = latest;
      }
      return this.cached.accessToken;
    });
  }

  private isFresh(tokens: GoogleTokens): boolean {
    return tokens.expiryDate - Date.now() > this.refreshMarginMs;
  }

  private async loadOrFail(): Promise<GoogleTokens> {
    const tokens = await this.store.load();
    if (!tokens) {
      throw new IntegrationError('Google is not connected for this tenant (run: findo google connect)', 'permanent', {
        provider: 'google',
        code: 'not_connected',
      });
    }
    return tokens;
  }
}
