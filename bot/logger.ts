/**
 * pino logger with secrets redacted wherever they may appear in a logged object.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field paths whose values are never written to logs. */
export const REDACTED_PATHS = [
  '*.token', '*.accessToken', '*.refreshToken', '*.apiKey', '*.appSecret', '*.secret', '*.password',
  '*.masterKey', '*.authorization', '*.Authorization', 'headers.authorization', 'req.headers.authorization',
  'req.headers["x-hub-signature-256"]', '*.access_token', '*.refresh_token', '*.client_secret', '*.webhookKeys',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'findo' }, redact: { paths: REDACTED_PATHS, censor: '[secret]' } }, destination as never);
}
