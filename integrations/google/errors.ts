/**
 * The one place where Google's failures become Findo's error taxonomy (integrations/errors.ts):
 * the token endpoint's OAuth errors and the Business Profile APIs' `{error:{code,message,status}}`.
 */
import { IntegrationError } from '../errors.ts';

const PROVIDER = 'google';

/** What gaxios (googleapis' HTTP layer) puts on a failure; read by shape, see `isGaxiosError`. */
interface HttpFailure {
  code?: string | number;
  message: string;
  response?: { status: number; data?: unknown; headers?: Headers | Record<string, string> };
}

interface GoogleApiErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Array<{ '@type'?: string; retryDelay?: string }> };
}

interface OAuthErrorBody {
  error?: string;
  error_description?: string;
}

/**
 * Maps any failure of a Google call onto an IntegrationError:
 * - token endpoint `invalid_grant` (grant revoked or expired): permanent, code `invalid_grant`;
 * - 401 (already retried once after a refresh by the caller): permanent;
 * - 429 / RESOURCE_EXHAUSTED: rate_limited, with `retryAfterMs` when Google gives a wait;
 * - 5xx, network errors and timeouts: transient;
 * - any other 4xx (400, 403, 404…): permanent.
 *
 * @param operation names the call in the message, e.g. `listReviews accounts/1/locations/2`.
 */
export function toIntegrationError(error: unknown, operation: string): IntegrationError {
  if (error instanceof IntegrationError) return error;
  if (!isGaxiosError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new IntegrationError(`Google ${operation} failed: ${reason}`, 'transient', { provider: PROVIDER, code: 'unexpected' });
  }
  const response = error.response;
  if (!response) {
    return new IntegrationError(`Google ${operation} failed: network error (${error.code ?? error.message})`, 'transient', {
      provider: PROVIDER,
      code: error.code ?? 'network',
    });
  }

  const { status } = response;
  const oauthError = readOAuthError(response.data);
  const apiError = oauthError ? undefined : (response.data as GoogleApiErrorBody | undefined)?.error;
  const apiStatus = apiError?.status;
  const code = oauthError?.error ?? apiStatus ?? status;
  const detail = oauthError?.error_description ?? apiError?.message ?? '';
  const message = `Google ${operation} failed: HTTP ${status} ${code}${detail ? ` — ${detail}` : ''}`;

  if (oauthError?.error === 'invalid_grant') {
    return new IntegrationError(`${message} (the owner must reconnect Google)`, 'permanent', { provider: PROVIDER, code: 'invalid_grant' });
  }
  if (status === 429 || apiStatus === 'RESOURCE_EXHAUSTED') {
    const retryAfterMs = retryAfterFromHeader(response.headers) ?? retryAfterFromDetails(apiError);
    return new IntegrationError(message, 'rate_limited', {
      provider: PROVIDER,
      code,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) return new IntegrationError(message, 'transient', { provider: PROVIDER, code });
  return new IntegrationError(message, 'permanent', { provider: PROVIDER, code });
}

/** HTTP status of a failed Google call, or undefined for network errors and non-HTTP failures. */
export function httpStatusOf(error: unknown): number | undefined {
  return isGaxiosError(error) ? error.response?.status : undefined;
}

// googleapis and google-auth-library each bundle their own gaxios copy, and gaxios' `instanceof`
// only matches errors from the same version, so recognise its errors by their marker instead.
function isGaxiosError(error: unknown): error is HttpFailure {
  return error instanceof Error && Symbol.for('gaxios-gaxios-error') in error;
}

function readOAuthError(data: unknown): OAuthErrorBody | undefined {
  const body = data as OAuthErrorBody | undefined;
  return typeof body?.error === 'string' ? body : undefined;
}

function retryAfterFromHeader(headers: Headers | Record<string, string> | undefined): number | undefined {
  const value = headers instanceof Headers ? headers.get('retry-after') : headers?.['retry-after'];
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// Google's RPC errors may carry a google.rpc.RetryInfo detail whose retryDelay is a proto
// Duration in JSON form, e.g. "30s" or "1.5s".
function retryAfterFromDetails(apiError: GoogleApiErrorBody['error'] | undefined): number | undefined {
  const delay = apiError?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const seconds = delay?.match(/^(\d+(?:\.\d+)?)s$/)?.[1];
  return seconds === undefined ? undefined : Math.round(Number(seconds) * 1000);
}
