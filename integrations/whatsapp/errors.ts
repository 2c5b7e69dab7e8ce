/**
 * WhatsApp Cloud API failures mapped onto Findo's error taxonomy, in one place.
 * Meta asks clients to branch on the numeric `code`, not on titles or HTTP status
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */
import { IntegrationError, isIntegrationError, type FailureKind } from '../errors.ts';

/** The `error` object of a Graph API answer, or one `errors[]` entry of a failed status webhook. */
export interface GraphError {
  code?: number;
  message?: string;
  title?: string;
  error_subcode?: number;
  error_data?: { details?: string };
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** What is known about the failed call besides Meta's error object. */
export interface WhatsAppFailureContext {
  /** The client method that failed, e.g. `sendText`; named in the error message. */
  operation: string;
  /** HTTP status of Graph's answer, when there was one. */
  httpStatus?: number;
  /** A wait Graph asked for (Retry-After or X-Business-Use-Case-Usage), in ms. */
  retryAfterMs?: number;
  /** Secrets to scrub from the message (the access token), in case a proxy echoes them. */
  secrets?: readonly string[];
}

const PERMANENT_CODES = new Set([
  0,
  3,
  10,
  100,
  190,
  368, // auth, permissions, bad parameters, restricted account
  130403, // the business blocked this user
  131008,
  131009,
  131021, // missing/invalid parameter, sender = recipient
  131026, // undeliverable: not on WhatsApp, old app, terms not accepted
  131031,
  131042,
  131045, // account locked, payment problem, number not registered
  131047, // re-engagement: outside the 24-hour window, a template is needed
  131050, // the user stopped marketing messages
  131051,
  131052,
  131053, // unsupported type, media download/upload failed
  133010,
  135000,
]);

const RATE_LIMIT_CODES = new Set([
  4, // app call rate
  80007, // WABA rate
  130429, // throughput per phone number
  131048, // spam rate limit
  131049, // per-user marketing cap
  131056, // (business, consumer) pair rate
  131064, // messaging limit during a misclassification enforcement
]);

const TRANSIENT_CODES = new Set([1, 2, 131000, 131016, 131057, 133004]);

/**
 * 5xx answers Meta documents as "not taken": the service was unavailable, in maintenance or
 * overloaded. Any other 5xx (1 "unknown error", 131000 "something went wrong", a gateway page) may
 * come after the message was accepted.
 */
const NOT_ACCEPTED_SERVER_CODES = new Set([2, 131016, 131057, 133004]);

/**
 * Network failures that happen before a request is written: nothing reached Graph. A timeout or a
 * reset after connecting may come after Graph accepted the message.
 */
const NOT_CONNECTED_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Waits Meta documents for limits that do not say how long to wait. */
const DOCUMENTED_WAIT_MS: Record<number, number> = {
  130429: 1_000, // throughput is counted per second
  131056: 6_000, // one message per 6 seconds to the same user
};

/** Whether a value is a Graph error object: a plain object with a numeric `code`. */
export function isGraphError(value: unknown): value is GraphError {
  // Thrown errors can carry a numeric code too (a timeout's DOMException has 23): not Meta's.
  if (typeof value !== 'object' || value === null || value instanceof Error || value instanceof DOMException) return false;
  return typeof (value as GraphError).code === 'number';
}

function kindOfCode(code: number, context: WhatsAppFailureContext, isTransient?: boolean): FailureKind {
  if (PERMANENT_CODES.has(code) || (code >= 132000 && code < 133000) || (code >= 200 && code < 300)) {
    return 'permanent';
  }
  if (RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  // An unlisted code: trust Graph's own hint and the HTTP class; a 4xx repeats the same mistake.
  if (context.httpStatus === 429) return 'rate_limited';
  if (isTransient || (context.httpStatus !== undefined && context.httpStatus >= 500)) return 'transient';
  return 'permanent';
}

function scrub(text: string, secrets: readonly string[] = []): string {
  return secrets.reduce((acc, secret) => (secret ? acc.split(secret).join('***') : acc), text);
}

/**
 * Maps any WhatsApp failure onto an {@link IntegrationError}:
 * - a Graph error object (from an API answer or a failed status webhook) by Meta's `code`:
 *   131047, 131026, 131051, 100, 132xxx, 190 and other config/recipient errors → `permanent`;
 *   130429, 131056, 80007, 4, 131048, 131049 → `rate_limited` (with `retryAfterMs` when known);
 *   1, 2, 131000, 131016, 131057, 133004 → `transient`; unlisted codes by HTTP class;
 * - an HTTP failure without Meta's JSON (a gateway page) → `transient` for 5xx, else `permanent`;
 * - a thrown network error or timeout → `transient`.
 * `details.code` keeps Meta's code. `details.outcomeUnknown` marks failures after which the message
 * may have been accepted all the same: a timeout, a reset after connecting, a 5xx that Meta does not
 * document as "not taken". The message never contains `context.secrets`.
 */
export function classifyWhatsAppError(failure: unknown, context: WhatsAppFailureContext): IntegrationError {
  if (isIntegrationError(failure)) return failure;
  const prefix = `WhatsApp ${context.operation} failed`;

  if (isGraphError(failure)) {
    const code = failure.code as number;
    const kind = kindOfCode(code, context, failure.is_transient);
    const what = failure.message ?? failure.title ?? 'error';
    const details = failure.error_data?.details;
    const text = `${prefix}: ${what.startsWith('(#') ? what : `(#${code}) ${what}`}${details && details !== what ? ` — ${details}` : ''}`;
    const retryAfterMs = kind === 'rate_limited' ? (context.retryAfterMs ?? DOCUMENTED_WAIT_MS[code]) : undefined;
    const outcomeUnknown = (context.httpStatus ?? 0) >= 500 && !NOT_ACCEPTED_SERVER_CODES.has(code);
    return new IntegrationError(scrub(text, context.secrets), kind, {
      provider: 'whatsapp',
      code,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...(outcomeUnknown && { outcomeUnknown }),
    });
  }

  if (context.httpStatus !== undefined) {
    const kind: FailureKind = context.httpStatus >= 500 ? 'transient' : context.httpStatus === 429 ? 'rate_limited' : 'permanent';
    return new IntegrationError(`${prefix}: HTTP ${context.httpStatus} without a Graph error body`, kind, {
      provider: 'whatsapp',
      code: `http_${context.httpStatus}`,
      ...(kind === 'rate_limited' && context.retryAfterMs !== undefined && { retryAfterMs: context.retryAfterMs }),
      ...(kind === 'transient' && { outcomeUnknown: true }),
    });
  }

  const reason = failure instanceof Error ? describeNetworkError(failure) : String(failure);
  const notConnected = failure instanceof Error && NOT_CONNECTED_CAUSES.has(causeCode(failure) ?? '');
  return new IntegrationError(scrub(`${prefix}: ${reason}`, context.secrets), 'transient', {
    provider: 'whatsapp',
    code: 'network',
    ...(!notConnected && { outcomeUnknown: true }),
  });
}

/** The system error code (ECONNREFUSED…) undici keeps in `cause`. */
function causeCode(error: Error): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function describeNetworkError(error: Error): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'request timed out';
  // undici hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `network error (${error.message}${cause})`;
}
