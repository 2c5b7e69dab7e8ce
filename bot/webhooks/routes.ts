/**
 * The webhook routes of spec §4. Each one authenticates, derives a stable event id, stores the
 * raw event, enqueues its processing and answers — in that order, and nothing more.
 */
import { performance } from 'node:perf_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config.ts';
import { isDatabaseOutage } from '../db/connection.ts';
import { TenantModel, UNROUTED_TENANT, WEBHOOK_PROVIDERS, type WebhookProvider } from '../db/models/index.ts';
import type { Logger } from '../logger.ts';
import { webhookLatency, webhookRequests } from '../metrics.ts';
import { findTenantByWebhookKey } from '../tenants.ts';
import { parseWhatsAppWebhook, verifyWhatsAppSignature } from '../../integrations/whatsapp/webhook.ts';
import type { Provider } from '../../integrations/events.ts';
import { bodyKindOf, decodeWebhookBody, type BodyKind, type DecodedBody } from './body.ts';
import { bodyDigestId, takeEvent, type IntakeOutcome } from './intake.ts';
import { PROVIDER_WEBHOOKS } from './providers.ts';

const BODY_LIMIT = '1mb';

type RawRequest = Request & { body: Buffer };

/**
 * The body's bytes (gzip, deflate and br undone) up to 1 MB, whatever the content type says:
 * `decodeWebhookBody` reads them, and they are what gets stored.
 */
const readRawBody = express.raw({ type: () => true, limit: BODY_LIMIT });

/** body-parser's refusals that are the sender's fault, as the answers of spec §4. */
function bodyReadRefusal(error: unknown): { status: number; error: string; outcome: string } | null {
  const { status, type, message } = error as { status?: number; type?: string; message?: string };
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  switch (type) {
    case 'entity.too.large':
      return { status: 413, error: 'body over 1 MB', outcome: 'too_large' };
    case 'encoding.unsupported':
      return {
        status: 415,
        error: `${message ?? 'unsupported content encoding'}: send identity, gzip, deflate or br`,
        outcome: 'unsupported',
      };
    default:
      return { status: 400, error: `body could not be read: ${message ?? type ?? 'bad request'}`, outcome: 'bad_request' };
  }
}

/** One stored (or refused) event of a delivery. */
interface TakenEvent {
  eventId: string;
  outcome: IntakeOutcome;
  reason?: string;
}

/**
 * The answer to a delivery of one or more events: accepted when any was, duplicate when all were,
 * else quarantined (202, with the first reason). `eventIds` lists them all when asked or when
 * there are several.
 */
function answerDelivery(results: TakenEvent[], options: { acknowledgement?: Record<string, unknown>; listIds?: boolean } = {}) {
  const overall: IntakeOutcome = results.some((r) => r.outcome === 'accepted')
    ? 'accepted'
    : results.every((r) => r.outcome === 'duplicate')
      ? 'duplicate'
      : 'quarantined';
  const ids = options.listIds || results.length > 1 ? { eventIds: results.map((r) => r.eventId) } : {};
  if (overall === 'quarantined') {
    const reason = results.find((r) => r.outcome === 'quarantined')?.reason ?? 'not understood';
    return { status: 202, body: { status: overall, reason, eventId: results[0].eventId, ...ids }, outcome: overall };
  }
  return { status: 200, body: { status: overall, eventId: results[0].eventId, ...ids, ...options.acknowledgement }, outcome: overall };
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
        const refusal = bodyReadRefusal(error);
        if (refusal) {
          outcome = refusal.outcome;
          res.status(refusal.status).json({ error: refusal.error });
        } else if (isDatabaseOutage(error)) {
          // A database outage answers 503 so the sender retries; anything else is a 500.
          outcome = 'unavailable';
          res.status(503).json({ error: 'database unavailable, retry later' });
        } else {
          // The error's name only: messages of database and parser errors can quote the body.
          logger.error({ errorName: (error as Error)?.name, provider }, 'webhook failed');
          res.status(500).json({ error: 'internal error' });
        }
      } finally {
        webhookRequests.inc({ provider, outcome });
        webhookLatency.observe({ provider, outcome }, (performance.now() - started) / 1000);
      }
    };

  const reject = (status: number, error: string, outcome: string) => ({ status, body: { error }, outcome });
  const refuseUnreadable = (decoded: Extract<DecodedBody, { ok: false }>) =>
    reject(decoded.status, decoded.error, decoded.status === 415 ? 'unsupported' : 'bad_request');

  // Meta's verification handshake.
  router.get('/whatsapp', (req, res) => {
    const verifyToken = config.whatsapp.verifyToken;
    if (verifyToken && req.query['hub.mode'] === 'subscribe' && req.query['hub.verify_token'] === verifyToken) {
      const challenge = req.query['hub.challenge'];
      res
        .status(200)
        .type('text/plain')
        .send(typeof challenge === 'string' ? challenge : '');
      return;
    }
    res.status(403).json({ error: 'verification failed' });
  });

  router.post(
    '/whatsapp',
    contentTypeGuard(['json']),
    readRawBody,
    handle('whatsapp', async (req) => {
      const appSecret = config.whatsapp.appSecret;
      if (!appSecret) return reject(401, 'WHATSAPP_APP_SECRET is not configured', 'unauthorized');
      const raw = rawBodyOf(req);
      if (!verifyWhatsAppSignature(raw, req.get('x-hub-signature-256'), appSecret)) {
        return reject(401, 'bad or missing X-Hub-Signature-256', 'unauthorized');
      }
      const contentType = req.get('content-type') ?? '';
      const decoded = decodeWebhookBody(raw, contentType);
      if (!decoded.ok) return refuseUnreadable(decoded);
      const parsed = parseWhatsAppWebhook(decoded.body);
      if (!parsed.ok) {
        const eventId = bodyDigestId('whatsapp', raw);
        const { outcome } = await takeEvent({
          provider: 'whatsapp',
          tenantId: UNROUTED_TENANT,
          eventId,
          contentType,
          raw,
          quarantineReason: parsed.reason,
        });
        return answerDelivery([{ eventId, outcome, reason: parsed.reason }]);
      }
      // One delivery can carry several messages and statuses, even for several business numbers.
      const numberIds = [...new Set(parsed.items.map((item) => item.phoneNumberId))];
      const tenants = await TenantModel.find({ whatsappNumberId: { $in: numberIds } }, { _id: 1, whatsappNumberId: 1, disabled: 1 });
      const tenantByNumber = new Map(tenants.map((t) => [t.whatsappNumberId!, t]));
      const results: TakenEvent[] = [];
      for (const item of parsed.items) {
        const tenant = tenantByNumber.get(item.phoneNumberId);
        const quarantineReason = !tenant
          ? `no tenant has phone_number_id ${item.phoneNumberId}`
          : tenant.disabled
            ? 'tenant disabled'
            : undefined;
        // The item is what Findo parsed and validated; the delivery's bytes are not kept per item.
        const { outcome } = await takeEvent({
          provider: 'whatsapp',
          tenantId: tenant?.id ?? UNROUTED_TENANT,
          eventId: item.eventId,
          contentType,
          body: item,
          quarantineReason,
        });
        results.push({ eventId: item.eventId, outcome, reason: quarantineReason });
      }
      if (results.length === 0) return answerDelivery([{ eventId: bodyDigestId('whatsapp', raw), outcome: 'accepted' }], { listIds: true });
      return answerDelivery(results, { listIds: true });
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
        await runParser(readRawBody, req, res);
        return intakeProviderEvents(provider, tenant.id, req);
      }),
    );
  }

  async function intakeProviderEvents(provider: WebhookProvider, tenantId: string, req: RawRequest) {
    const webhook = PROVIDER_WEBHOOKS[provider];
    const contentType = req.get('content-type') ?? '';
    const raw = rawBodyOf(req);
    const decoded = decodeWebhookBody(raw, contentType);
    if (!decoded.ok) return refuseUnreadable(decoded);
    const results: TakenEvent[] = [];
    for (const result of webhook.normalise(decoded.body, { contentType, receivedAt: new Date() })) {
      const { outcome } = await takeEvent({
        provider,
        tenantId,
        eventId: result.eventId,
        contentType,
        raw,
        ...(result.ok ? { body: result.event } : { quarantineReason: result.reason }),
      });
      results.push({ eventId: result.eventId, outcome, reason: result.ok ? undefined : result.reason });
    }
    return answerDelivery(results, { acknowledgement: webhook.acknowledgement });
  }

  return router;
}

/** The bytes express.raw read; an empty body leaves no Buffer. */
const rawBodyOf = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

/** 415 before anything else for a content type the route does not take. */
function contentTypeGuard(kinds: BodyKind[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const kind = bodyKindOf(req.get('content-type') ?? '');
    if (!kind || !kinds.includes(kind)) {
      res.status(415).json({
        error: `expected ${kinds.map((k) => (k === 'json' ? 'application/json' : 'application/x-www-form-urlencoded')).join(' or ')}`,
      });
      return;
    }
    next();
  };
}

/** Runs a body parser inside a handler (after authentication), surfacing 400/413 as errors. */
function runParser(parser: express.RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    parser(req, res, (error?: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('the body could not be read')) : resolve(),
    ),
  );
}
