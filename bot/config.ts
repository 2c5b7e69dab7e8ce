/**
 * The one place that reads the environment (spec §3). Every variable is validated here; a bad
 * value stops Findo with one line naming the variable and the fix. Secrets are never printed.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_WHATSAPP_API_VERSION } from '../integrations/whatsapp/client.ts';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = (fix: string) => optionalText.refine((v) => v === undefined || URL.canParse(v), { message: `must be a URL (${fix})` });

const environmentSchema = z.object({
  MONGODB_URI: optionalText.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v), {
    message: 'must start with mongodb:// or mongodb+srv://',
  }),
  FINDO_DATA_DIR: optionalText,
  FINDO_CACHE_DIR: optionalText,
  FINDO_GO: optionalText,
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a port number from 0 to 65535 (0 picks a free port)')
      .transform(Number)
      .refine((n) => n <= 65535, 'must be a port number from 0 to 65535 (0 picks a free port)')
      .optional(),
  ),
  HOST: optionalText,
  FINDO_PUBLIC_URL: optionalUrl('e.g. https://findo.example.com'),
  FINDO_MASTER_KEY: optionalText.refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 bytes in base64 (generate one with: openssl rand -base64 32)',
  }),
  WHATSAPP_TOKEN: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  FINDO_METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  WHATSAPP_API_URL: optionalUrl('the Graph API base, e.g. https://graph.facebook.com'),
  WHATSAPP_API_VERSION: optionalText.refine((v) => v === undefined || /^v\d+\.\d+$/.test(v), {
    message: 'must look like v24.0',
  }),
  WHATSAPP_TIMEOUT_MS: optionalText.pipe(
    z
      .string()
      .regex(/^[1-9]\d*$/, 'must be a positive number of milliseconds')
      .transform(Number)
      .optional(),
  ),
  WHATSAPP_CONFIRM_WAIT_MS: optionalText.pipe(
    z
      .string()
      .regex(/^[1-9]\d*$/, 'must be a positive number of milliseconds')
      .transform(Number)
      .optional(),
  ),
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  GOOGLE_REDIRECT_URI: optionalUrl('the OAuth redirect registered with Google'),
  GOOGLE_API_URL: optionalUrl('a Business Profile API base URL'),
  GOOGLE_OAUTH_URL: optionalUrl('an OAuth base URL whose /token is the token endpoint'),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalUrl('the Anthropic API base URL'),
  FINDO_AI_MODEL: optionalText,
  LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
});

/** Findo's validated configuration. */
export interface Config {
  /** Set: connect to this MongoDB. Unset: the embedded database (mongod or FerretDB) under `dataDir`. */
  mongodbUri?: string;
  /** Embedded database files, generated dev key, run files. Default `~/.findo`. */
  dataDir: string;
  /** Built tools kept between runs (the embedded FerretDB). Default `$XDG_CACHE_HOME/findo` or `~/.cache/findo`. */
  cacheDir: string;
  /** The Go toolchain that builds the embedded FerretDB; default `go` on PATH or /usr/local/go/bin/go. */
  goBinary?: string;
  port: number;
  host: string;
  /** Public base URL used to print webhook URLs. Default `http://localhost:<port>`. */
  publicUrl: string;
  /** Base64 master key; required with `mongodbUri`, generated into `dataDir` otherwise. */
  masterKey?: string;
  whatsapp: {
    token?: string;
    appSecret?: string;
    verifyToken?: string;
    apiUrl: string;
    apiVersion: string;
    /** Every Graph request is abandoned after this long. */
    timeoutMs: number;
    /** How long a send with an unknown outcome waits for a status webhook before it is sent again. */
    confirmWaitMs: number;
  };
  google: {
    clientId?: string;
    clientSecret?: string;
    /** `GOOGLE_REDIRECT_URI`; default `<publicUrl>/oauth/google/callback`, the route that finishes a connect. */
    redirectUri: string;
    apiUrl?: string;
    oauthUrl?: string;
  };
  anthropic: { apiKey?: string; baseUrl?: string; model: string };
  /** Bearer token the operator's scraper sends to `GET /metrics`; unset, /metrics is not served. */
  metricsToken?: string;
  logLevel: string;
}

/** A configuration problem: its message is the one line shown to the user. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Where Google sends the owner's browser back after consent (served by bot/oauth/callback.ts). */
export const GOOGLE_CALLBACK_PATH = '/oauth/google/callback';

export const DEFAULT_AI_MODEL = 'claude-haiku-4-5';

/** The user's cache folder for Findo (XDG's convention, as Go and npm keep theirs). */
export const defaultCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache'), 'findo');

/** Reads and validates the environment; throws `ConfigError` with one clear line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0]);
    // Never echo the value: it may be a secret.
    throw new ConfigError(`${variable} ${issue.message}`);
  }
  const e = parsed.data;
  const port = e.PORT ?? 3000;
  const publicUrl = (e.FINDO_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    mongodbUri: e.MONGODB_URI,
    dataDir: e.FINDO_DATA_DIR ?? join(homedir(), '.findo'),
    cacheDir: e.FINDO_CACHE_DIR ?? defaultCacheDir(env),
    goBinary: e.FINDO_GO,
    port,
    host: e.HOST ?? '0.0.0.0',
    publicUrl,
    masterKey: e.FINDO_MASTER_KEY,
    whatsapp: {
      token: e.WHATSAPP_TOKEN,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      apiUrl: (e.WHATSAPP_API_URL ?? 'https://graph.facebook.com').replace(/\/+$/, ''),
      apiVersion: e.WHATSAPP_API_VERSION ?? DEFAULT_WHATSAPP_API_VERSION,
      timeoutMs: e.WHATSAPP_TIMEOUT_MS ?? 15_000,
      // Meta sends the `sent` status within seconds; the margin covers its retries while our own
      // webhook endpoint was failing.
      confirmWaitMs: e.WHATSAPP_CONFIRM_WAIT_MS ?? 5 * 60_000,
    },
    google: {
      clientId: e.GOOGLE_CLIENT_ID,
      clientSecret: e.GOOGLE_CLIENT_SECRET,
      redirectUri: e.GOOGLE_REDIRECT_URI ?? `${publicUrl}${GOOGLE_CALLBACK_PATH}`,
      apiUrl: e.GOOGLE_API_URL?.replace(/\/+$/, ''),
      oauthUrl: e.GOOGLE_OAUTH_URL?.replace(/\/+$/, ''),
    },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, model: e.FINDO_AI_MODEL ?? DEFAULT_AI_MODEL },
    metricsToken: e.FINDO_METRICS_TOKEN,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}
