/**
 * The express application: health, metrics and (mounted by the webhook module) the webhook routes.
 * Business work never happens in a request: webhooks store and enqueue, jobs do the rest.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type mongoose from 'mongoose';
import { isDatabaseUp } from './db/connection.ts';
import type { Logger } from './logger.ts';
import { registry } from './metrics.ts';

export interface AppOptions {
  connection: mongoose.Connection;
  logger: Logger;
  /** Routers mounted under `/webhooks`. */
  webhooks?: Router;
  /** Routes a browser visits (the Google OAuth callback), mounted at the root. */
  pages?: Router;
  /** `FINDO_METRICS_TOKEN`: `/metrics` answers only `Authorization: Bearer <it>`; unset, not at all. */
  metricsToken?: string;
}

/** Whether the Authorization header carries exactly this bearer token (compared in constant time). */
function hasBearer(header: string | undefined, token: string): boolean {
  const given = createHash('sha256')
    .update(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '')
    .digest();
  return timingSafeEqual(given, createHash('sha256').update(token).digest());
}

export function createApp({ connection, logger, webhooks, pages, metricsToken }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.get('/healthz', async (_req, res) => {
    const up = await isDatabaseUp(connection);
    res.status(up ? 200 : 503).json(up ? { status: 'ok' } : { status: 'unavailable', error: 'database unavailable' });
  });

  // Operator-only: the numbers describe every tenant's traffic.
  app.get('/metrics', async (req, res) => {
    if (!metricsToken) return void res.status(404).json({ error: 'metrics are off: set FINDO_METRICS_TOKEN to serve them' });
    if (!hasBearer(req.get('authorization'), metricsToken)) {
      return void res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({ error: 'metrics need Authorization: Bearer <FINDO_METRICS_TOKEN>' });
    }
    res.type(registry.contentType).send(await registry.metrics());
  });

  if (webhooks) app.use('/webhooks', webhooks);
  if (pages) app.use(pages);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  const onError: ErrorRequestHandler = (error: { status?: unknown; message?: unknown } | undefined, _req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    const reason = typeof error?.message === 'string' ? error.message : 'bad request';
    const message = status === 413 ? 'body over 1 MB' : status < 500 ? reason : 'internal error';
    res.status(status).json({ error: message });
  };
  app.use(onError);
  return app;
}
