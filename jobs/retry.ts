/**
 * The one retry policy of Findo's background work (every Agenda job and the inbox of webhook
 * events), driven by the error taxonomy of integrations/errors.ts:
 * - `permanent`: never retried, whatever the attempt;
 * - `rate_limited`: waits at least the `retryAfterMs` the provider asked for (Meta's 130429,
 *   Google's 429), and not much longer (at most twice that) once the backoff has grown past it;
 * - anything else: exponential backoff from `delayMs`, doubling up to `maxDelayMs`, with ±20 %
 *   jitter so workers that failed together do not retry together.
 * Each job picks only its numbers (jobs/catalog.ts).
 */
import type { BackoffStrategy } from 'agenda';
import { isIntegrationError } from '../integrations/errors.ts';

export interface RetryPolicy {
  /** First wait after a failure; doubles each attempt. */
  delayMs: number;
  /** Longest wait of the backoff itself. */
  maxDelayMs: number;
  /** Attempts after the first; then the work gives up. */
  maxRetries: number;
}

const JITTER = 0.2;

/**
 * The wait in ms before retry `attempt` (1 = the first retry) after `error`, or null when it is not
 * to be retried. `random` is Math.random's stand-in for tests.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: unknown, random: () => number = Math.random): number | null {
  if (attempt > policy.maxRetries) return null;
  if (isIntegrationError(error) && error.kind === 'permanent') return null;
  const exponential = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential * (1 - JITTER + random() * 2 * JITTER));
  const asked = isIntegrationError(error) && error.kind === 'rate_limited' ? error.details.retryAfterMs : undefined;
  return asked === undefined ? jittered : Math.max(asked, Math.min(jittered, asked * 2));
}

/** The policy as an Agenda backoff; `policy` is read at each failure, so tests may change it. */
export const retryStrategy = (policy: () => RetryPolicy): BackoffStrategy =>
  ({ attempt, error }) => retryDelay(policy(), attempt, error);
