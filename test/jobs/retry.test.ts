/** The one retry policy (jobs/retry.ts), decided by the kind of error. */
import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../../integrations/errors.ts';
import { classifyWhatsAppError } from '../../integrations/whatsapp/errors.ts';
import { retryDelay, type RetryPolicy } from '../../jobs/retry.ts';

const policy: RetryPolicy = { delayMs: 1_000, maxDelayMs: 10_000, maxRetries: 5 };
const lowest = () => 0;
const highest = () => 0.999_999;

describe('retryDelay', () => {
  it('never retries a permanent error, whatever the attempt', () => {
    const optedOut = classifyWhatsAppError({ code: 131050, message: 'stopped marketing' }, { operation: 'sendTemplate', httpStatus: 400 });
    expect(optedOut.kind).toBe('permanent');
    for (const attempt of [1, 2, 5]) expect(retryDelay(policy, attempt, optedOut)).toBeNull();
  });

  it("waits at least the Retry-After of Meta's 130429, even when the backoff is shorter", () => {
    const limited = classifyWhatsAppError({ code: 130429, message: 'Rate limit hit' }, { operation: 'sendText', httpStatus: 429, retryAfterMs: 7_000 });
    expect(limited).toMatchObject({ kind: 'rate_limited', details: { retryAfterMs: 7_000 } });
    expect(retryDelay(policy, 1, limited, lowest)).toBe(7_000);
    expect(retryDelay(policy, 1, limited, highest)).toBe(7_000);
  });

  it("waits Meta's documented second for a 130429 without Retry-After, and no more than twice the ask once the backoff is longer", () => {
    const limited = classifyWhatsAppError({ code: 130429, message: 'Rate limit hit' }, { operation: 'sendText', httpStatus: 429 });
    expect(limited.details.retryAfterMs).toBe(1_000);
    expect(retryDelay(policy, 1, limited, lowest)).toBe(1_000);
    // Attempt 4: the backoff is 8 s (±20 %); the ask was 1 s, so at most 2 s.
    expect(retryDelay(policy, 4, limited, highest)).toBe(2_000);
  });

  it('backs off transient errors exponentially with ±20 % jitter, up to the cap', () => {
    const outage = new IntegrationError('HTTP 503', 'transient', { provider: 'google' });
    expect(retryDelay(policy, 1, outage, lowest)).toBe(800);
    expect(retryDelay(policy, 1, outage, highest)).toBe(1_200);
    expect(retryDelay(policy, 3, outage, lowest)).toBe(3_200);
    expect(retryDelay(policy, 5, outage, highest)).toBe(12_000);
    expect(retryDelay(policy, 5, outage, lowest)).toBe(8_000);
  });

  it('backs off errors outside the taxonomy (a lock timeout, a database hiccup) the same way', () => {
    expect(retryDelay(policy, 2, new Error('connection reset'), lowest)).toBe(1_600);
  });

  it('gives up after maxRetries, rate limit or not', () => {
    const limited = new IntegrationError('quota', 'rate_limited', { provider: 'google', retryAfterMs: 500 });
    expect(retryDelay(policy, 5, limited)).not.toBeNull();
    expect(retryDelay(policy, 6, limited)).toBeNull();
    expect(retryDelay(policy, 6, new Error('still down'))).toBeNull();
  });
});
