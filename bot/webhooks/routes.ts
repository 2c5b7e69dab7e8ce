/**
 * The webhook routes of spec §4. Each one authenticates, derives a stable event id, stores the
 * raw event, enqueues its processing and answers — in that order, and nothing more.
 */
import { performance } from 'node:perf_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config.ts';
import { TenantModel, UNROUTED_TENANT, WEBHOOK_PROVIDERS, type WebhookProvider } from '../db/models/index.ts';
import type { Logger } from '../logger.ts';
import { webhookLatency, webhookRequests } from '../metrics.ts';
import { findTenantByWebhookKey } from '../tenants.ts';
import { parseWhatsAppWebhook, verifyWhatsAppSignature } from '../../integrations/whatsapp/webhook.ts';
import type { Provider } from '../../integrations/events.ts';
import { bodyDigestId, takeEvent, type IntakeOutcome } from './intake.ts';
import { PROVIDER_WEBHOOKS } from './providers.ts';

const BODY_LIMIT = '1mb';

type RawRequest = Request & { rawBody?: Buffer };

const keepRawBody = (req: Request, _res: Response, buf: Buffer) => {
  (req as RawRequest).rawBody = buf;
};

/** JSON and form bodies up to 1 MB, with the raw bytes kept for signatures and digests. */
const parseJson = express.json({ limit: BODY_LIMIT, verify: keepRawBody, type: ['application/json', 'application/*+json'] });
const parseForm = express.urlencoded({ limit: BODY_LIMIT, extended: false, verify: keepRawBody });

function bodyKind(req: Request): 'json' | 'form' | null {
  if (req.is(['application/json', 'application/*+json'])) return 'json';
  if (req.is('application/x-www-form-urlencoded')) return 'form';
  return null;
}

/** A database outage answers 503 so the sender retries; anything else is a 500. */
function isDatabaseOutage(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  return /MongoServerSelectionError|MongoNetworkError|MongoNotConnectedError|MongoTopologyClosedError|MongoNetworkTimeoutError|MongoPoolClearedError/.test(name)
    || /buffering timed out|Client must be connected|connection .* closed/i.test((error as Error)?.message ?? '');
}

export interface WebhookRouterOptions {
  config: Config;
  logger: Logger;
}

export function createWebhookRouter({ config, logger }: WebhookRouterOptions): express.Router {
  const router = express.Router();

  /** Times and counts the request, and turns errors into the answers of spec §4. */
  const handle =
    (provider: Provider, fn: (req: RawRequest, res: Response) => Promise<{ status: number; body: unknown; outcome: string }>) =>
    async (req: Request, res: Response) => {
      const started = performance.now();
      let outcome = 'error';
      try {
        const answer = await fn(req as RawRequest, res);
        outcome = answer.outcome;
        res.status(answer.status).json(answer.body);
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 400 || status === 413) {
          outcome = status === 413 ? 'too_large' : 'bad_request';
          res.status(status).json({ error: status === 413 ? 'body over 1 MB' : 'body is not valid JSON or form data' });
        } else if (isDatabaseOutage(error)) {
          outcome = 'unavailable';
          res.status(503).json({ error: 'database unavailable, retry later' });
        } else {
          logger.error({ err: (error as Error).message, provider }, 'webhook failed');
          res.status(500).json({ error: 'internal error' });
        }
      } finally {
        webhookRequests.inc({ provider, outcome });
        webhookLatency.observe({ provider, outcome }, (performance.now() - started) / 1000);
      }
    };

  const reject = (status: number, error: string, outcome: string) => ({ status, body: { error }, outcome });
  const answer = (outcome: IntakeOutcome, eventId: string, extra: Record<string, unknown> = {}) =>
    outcome === 'quarantined'
      ? { status: 202, body: { status: 'quarantined', eventId, ...extra }, outcome }
      : { status: 200, body: { status: outcome, eventId, ...extra }, outcome };

  // Meta's verification handshake.
  router.get('/whatsapp', (req, res) => {
    const verifyToken = config.whatsapp.verifyToken;
    if (verifyToken && req.query['hub.mode'] === 'subscribe' && req.query['hub.verify_token'] === verifyToken) {
      res.status(200).type('text/plain').send(String(req.query['hub.challenge'] ?? ''));
      return;
    }
    res.status(403).json({ error: 'verification failed' });
  });

  router.post(
    '/whatsapp',
    contentTypeGuard(['json']),
    parseJson,
    handle('whatsapp', async (req) => {
      const appSecret = config.whatsapp.appSecret;
      if (!appSecret) return reject(401, 'WHATSAPP_APP_SECRET is not configured', 'unauthorized');
      const raw = req.rawBody ?? Buffer.alloc(0);
      if (!verifyWhatsAppSignature(raw, req.get('x-hub-signature-256'), appSecret)) {
        return reject(401, 'bad or missing X-Hub-Signature-256', 'unauthorized');
      }
      const parsed = parseWhatsAppWebhook(req.body);
      if (!parsed.ok) {
        const eventId = bodyDigestId('whatsapp', raw);
        const { outcome } = await takeEvent({
          provider: 'whatsapp', tenantId: UNROUTED_TENANT, eventId, contentType: 'application/json', body: req.body, quarantineReason: parsed.reason,
        });
        return outcome === 'duplicate' ? answer('duplicate', eventId) : { ...answer('quarantined', eventId), body: { status: 'quarantined', reason: parsed.reason, eventId } };
      }
      // One delivery can carry several messages and statuses, even for several business numbers.
      const numberIds = [...new Set(parsed.items.map((item) => item.phoneNumberId))];
      const tenants = await TenantModel.find({ whatsappNumberId: { $in: numberIds } }, { _id: 1, whatsappNumberId: 1, disabled: 1 });
      const tenantByNumber = new Map(tenants.map((t) => [t.whatsappNumberId!, t]));
      const results: { eventId: string; outcome: IntakeOutcome; reason?: string }[] = [];
      for (const item of parsed.items) {
        const tenant = tenantByNumber.get(item.phoneNumberId);
        const quarantineReason = !tenant ? `no tenant has phone_number_id ${item.phoneNumberId}` : tenant.disabled ? 'tenant disabled' : undefined;
        const { outcome } = await takeEvent({
          provider: 'whatsapp', tenantId: tenant?.id ?? UNROUTED_TENANT, eventId: item.eventId, contentType: 'application/json', body: item, quarantineReason,
        });
        results.push({ eventId: item.eventId, outcome, reason: quarantineReason });
      }
      if (results.length === 0) return answer('accepted', bodyDigestId('whatsapp', raw), { eventIds: [] });
      const overall: IntakeOutcome = results.some((r) => r.outcome === 'accepted')
        ? 'accepted'
        : results.every((r) => r.outcome === 'duplicate') ? 'duplicate' : 'quarantined';
      const eventIds = results.map((r) => r.eventId);
      // Nothing in the delivery could be routed: 202 with the reason, as for any quarantined event (§4).
      if (overall === 'quarantined') {
        const reason = results.find((r) => r.outcome === 'quarantined')?.reason ?? 'not routed';
        return { status: 202, body: { status: overall, reason, eventId: results[0].eventId, eventIds }, outcome: overall };
      }
      return { status: 200, body: { status: overall, eventId: results[0].eventId, eventIds }, outcome: overall };
    }),
  );

  for (const provider of WEBHOOK_PROVIDERS) {
    router.post(
      `/${provider}/:key`,
      contentTypeGuard(['json', 'form']),
      handle(provider, async (req, res) => {
        const tenant = await findTenantByWebhookKey(provider, String(req.params.key));
        if (!tenant) return reject(401, 'unknown webhook key', 'unauthorized');
        if (tenant.disabled) return reject(401, 'tenant disabled', 'unauthorized');
        await runParser(bodyKind(req) === 'form' ? parseForm : parseJson, req, res);
        return intakeProviderEvent(provider, tenant.id, req);
      }),
    );
  }

  async function intakeProviderEvent(provider: WebhookProvider, tenantId: string, req: RawRequest) {
    const webhook = PROVIDER_WEBHOOKS[provider];
    const contentType = req.get('content-type') ?? '';
    const result = webhook.normalise(req.body, { contentType, receivedAt: new Date() });
    const { outcome } = await takeEvent({
      provider, tenantId, eventId: result.eventId, contentType, body: req.body, quarantineReason: result.ok ? undefined : result.reason,
    });
    if (outcome === 'quarantined' && !result.ok) {
      return { status: 202, body: { status: 'quarantined', reason: result.reason, eventId: result.eventId }, outcome };
    }
    return answer(outcome, result.eventId, outcome === 'quarantined' ? {} : webhook.acknowledgement);
  }

  return router;
}

/** 415 before anything else for a content type the route does not take. */
function contentTypeGuard(kinds: ('json' | 'form')[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const kind = bodyKind(req);
    if (!kind || !kinds.includes(kind)) {
      res.status(415).json({ error: `expected ${kinds.map((k) => (k === 'json' ? 'application/json' : 'application/x-www-form-urlencoded')).join(' or ')}` });
      return;
    }
    next();
  };
}

/** Runs a body parser inside a handler (after authentication), surfacing 400/413 as errors. */
function runParser(parser: express.RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
}
