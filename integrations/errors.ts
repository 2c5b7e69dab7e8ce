/**
 * The small error taxonomy every integration maps its provider's failures onto, so retries are
 * decided in one way everywhere:
 * - `permanent`: retrying cannot help (opted out, outside the 24-hour window, invalid number, revoked grant);
 * - `rate_limited`: retry after the wait the provider asks for (`retryAfterMs`) or a backoff;
 * - `transient`: network errors and 5xx; retry with backoff.
 */
export type FailureKind = 'permanent' | 'rate_limited' | 'transient';

export class IntegrationError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly details: {
      provider: string;
      code?: number | string;
      retryAfterMs?: number;
      /**
       * The request went out and the provider may have acted on it (a timeout, a reset, an
       * unexplained 5xx): retrying blindly could do it twice.
       */
      outcomeUnknown?: boolean;
    },
  ) {
    super(message);
    this.name = 'IntegrationError';
  }

  get isRetryable(): boolean {
    return this.kind !== 'permanent';
  }
}

export const isIntegrationError = (e: unknown): e is IntegrationError => e instanceof IntegrationError;
