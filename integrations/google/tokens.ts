/**
 * Google OAuth tokens behind a small storage port, so the client works the same against MongoDB in
 * the service and against memory in unit tests.
 */

/** One tenant's Google grant as Findo stores it. */
export interface GoogleTokens {
  accessToken: string;
  /** Long-lived; Google returns it only at consent, so a refresh must never drop it. */
  refreshToken: string;
  /** When the access token expires, in epoch milliseconds. */
  expiryDate: number;
  /** Space-separated scopes Google granted. */
  scope?: string;
}

/**
 * Where one tenant's tokens live. `withRefreshLock` runs `fn` while no other holder of the same
 * tenant's lock runs theirs — across processes for a shared store — so two workers never refresh
 * the same grant at once. Implementations must let a lock expire if its holder dies.
 */
export interface TokenStore {
  load(): Promise<GoogleTokens | null>;
  save(tokens: GoogleTokens): Promise<void>;
  withRefreshLock<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * An in-process TokenStore, for unit tests only: its lock serialises callers within this process,
 * which is exactly what several clients sharing it in one test need.
 */
export function memoryTokenStore(initial: GoogleTokens | null = null): TokenStore {
  let tokens = initial ? { ...initial } : null;
  let lockTail: Promise<unknown> = Promise.resolve();
  return {
    async load() {
      return tokens ? { ...tokens } : null;
    },
    async save(next) {
      tokens = { ...next };
    },
    withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = lockTail.then(() => fn());
      lockTail = run.catch(() => undefined);
      return run;
    },
  };
}
