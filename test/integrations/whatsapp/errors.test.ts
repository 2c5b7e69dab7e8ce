import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../../../integrations/errors.ts';
import { classifyWhatsAppError } from '../../../integrations/whatsapp/errors.ts';

describe('classifyWhatsAppError', () => {
  it('classifies a failed status webhook error ({ code, title }) like an API error', () => {
    const error = classifyWhatsAppError({ code: 131047, title: 'Re-engagement message' }, { operation: 'delivery' });
    expect(error).toMatchObject({ kind: 'permanent', details: { provider: 'whatsapp', code: 131047 } });
    expect(error.message).toBe('WhatsApp delivery failed: (#131047) Re-engagement message');
  });

  it('treats every 132xxx template error as permanent', () => {
    for (const code of [132001, 132012, 132015, 132016]) {
      expect(classifyWhatsAppError({ code }, { operation: 'sendTemplate' }).kind).toBe('permanent');
    }
  });

  it('decides an unlisted code by Graph’s hint and the HTTP class', () => {
    expect(classifyWhatsAppError({ code: 999999 }, { operation: 'x', httpStatus: 400 }).kind).toBe('permanent');
    expect(classifyWhatsAppError({ code: 999999 }, { operation: 'x', httpStatus: 502 }).kind).toBe('transient');
    expect(classifyWhatsAppError({ code: 999999, is_transient: true }, { operation: 'x' }).kind).toBe('transient');
    expect(classifyWhatsAppError({ code: 999999 }, { operation: 'x', httpStatus: 429, retryAfterMs: 5 }).details).toMatchObject({
      retryAfterMs: 5,
    });
  });

  it('prefers the wait Graph asked for over the documented one', () => {
    expect(classifyWhatsAppError({ code: 131056 }, { operation: 'x', retryAfterMs: 60_000 }).details.retryAfterMs).toBe(60_000);
    expect(classifyWhatsAppError({ code: 80007 }, { operation: 'x' }).details.retryAfterMs).toBeUndefined();
  });

  it('treats a thrown network error or timeout as transient', () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    expect(classifyWhatsAppError(refused, { operation: 'sendText' })).toMatchObject({
      kind: 'transient',
      message: 'WhatsApp sendText failed: network error (fetch failed: connect ECONNREFUSED 127.0.0.1:9)',
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyWhatsAppError(timeout, { operation: 'sendText' }).message).toContain('timed out');
  });

  it('passes an IntegrationError through unchanged', () => {
    const original = new IntegrationError('x', 'permanent', { provider: 'whatsapp' });
    expect(classifyWhatsAppError(original, { operation: 'x' })).toBe(original);
  });

  it('scrubs secrets from the message', () => {
    const error = classifyWhatsAppError({ code: 190, message: 'bad token EAAGsecret' }, { operation: 'x', secrets: ['EAAGsecret'] });
    expect(error.message).not.toContain('EAAGsecret');
  });

  it('tells "not sent" from "unknown": refused connections and documented refusals are not sent; timeouts, resets and other 5xx are unknown', () => {
    const unknown = (failure: unknown, httpStatus?: number) =>
      classifyWhatsAppError(failure, { operation: 'sendText', httpStatus }).details.outcomeUnknown ?? false;
    const network = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    expect(unknown(network('ECONNREFUSED'))).toBe(false);
    expect(unknown(network('ENOTFOUND'))).toBe(false);
    expect(unknown(network('ECONNRESET'))).toBe(true);
    expect(unknown(network('UND_ERR_SOCKET'))).toBe(true);
    expect(unknown(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe(true);
    expect(unknown({ code: 1, message: 'An unknown error occurred' }, 500)).toBe(true);
    expect(unknown({ code: 131000 }, 500)).toBe(true);
    expect(unknown({ code: 2 }, 503)).toBe(false);
    expect(unknown({ code: 133004 }, 503)).toBe(false);
    expect(unknown({ code: 130429 }, 400)).toBe(false);
    expect(unknown({ code: 131026 }, 400)).toBe(false);
    expect(unknown('<html>Bad Gateway</html>', 502)).toBe(true);
  });
});
