import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../../../integrations/errors.ts';
import { toIntegrationError } from '../../../integrations/google/errors.ts';

/** A failure shaped as gaxios throws it (the HTTP layer under googleapis). */
function gaxiosFailure(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    [Symbol.for('gaxios-gaxios-error')]: 'any-version',
    response: { status, data, headers: new Headers(headers) },
  });
}

describe('Google error mapping', () => {
  it('takes the wait from a Retry-After header on 429', () => {
    const error = toIntegrationError(
      gaxiosFailure(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } }, { 'retry-after': '12' }),
      'listReviews',
    );
    expect(error).toMatchObject({ kind: 'rate_limited', details: { code: 'RESOURCE_EXHAUSTED', retryAfterMs: 12_000 } });
  });

  it('maps 400 INVALID_ARGUMENT to permanent and 503 to transient', () => {
    expect(toIntegrationError(gaxiosFailure(400, { error: { code: 400, status: 'INVALID_ARGUMENT' } }), 'x').kind).toBe('permanent');
    expect(toIntegrationError(gaxiosFailure(503, { error: { code: 503, status: 'UNAVAILABLE' } }), 'x').kind).toBe('transient');
  });

  it('passes an IntegrationError through unchanged', () => {
    const original = new IntegrationError('not connected', 'permanent', { provider: 'google', code: 'not_connected' });
    expect(toIntegrationError(original, 'x')).toBe(original);
  });
});
