/**
 * pino logger with secrets redacted wherever they may appear in a logged object, and customers'
 * phone numbers replaced by an opaque reference wherever they appear in a logged string.
 */
import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field paths whose values are never written to logs. */
export const REDACTED_PATHS = [
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.appSecret',
  '*.secret',
  '*.password',
  '*.masterKey',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.webhookKeys',
];

// E.164 (`+9725…`), WhatsApp's digits-only form (`9725…`) and Israeli local forms (`052-765-4321`).
const PHONE_LIKE = /\+\d[\d\- ]{6,16}\d|\b972\d{8,9}\b|\b0\d{1,2}-?\d{3}-?\d{4}\b/g;

/**
 * `phone#<8 hex>` in place of each phone number: logs outlive `customer forget`, so they never hold
 * a phone, yet one customer's lines can still be followed (the same digits give the same reference).
 */
export function maskPhones(text: string): string {
  return text.replace(
    PHONE_LIKE,
    (phone) => `phone#${createHash('sha256').update(phone.replace(/\D/g, '').replace(/^0/, '972')).digest('hex').slice(0, 8)}`,
  );
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'findo' },
      redact: { paths: REDACTED_PATHS, censor: '[secret]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => maskDeep(arg)) as Parameters<typeof method>);
        },
      },
      serializers: { err: (err: unknown) => maskDeep(err instanceof Error ? pino.stdSerializers.err(err) : err) },
    },
    destination,
  );
}
