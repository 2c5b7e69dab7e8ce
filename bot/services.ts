/**
 * The bag of resources handed to jobs, routes and flows. Built by `createServices`, for the service
 * (bot/service.ts) and the CLI alike (or by a test), so everything can run against fakes or the real outside world alike. Work for
 * later is queued by job name (`enqueue`, jobs/catalog.ts), never by importing a job.
 */
import type { Agenda } from 'agenda';
import type mongoose from 'mongoose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Vault } from './vault.ts';
import type { Tenant } from './db/models/index.ts';
import type { WhatsAppPort } from '../integrations/whatsapp/client.ts';
import type { TextGenerator } from './ai/text-generator.ts';
import type { BusinessProfilePort } from '../integrations/google/client.ts';
import { googleMedia, type MediaPort } from '../integrations/google/media.ts';
import { jobQueue, type JobQueue } from '../jobs/queue.ts';
import { createTextGenerator } from './ai/index.ts';
import { googleClientResolver } from './google-clients.ts';
import { whatsappClientResolver } from './whatsapp-clients.ts';

export interface Services extends JobQueue {
  config: Config;
  logger: Logger;
  vault: Vault;
  agenda: Agenda;
  connection: mongoose.Connection;
  /** The WhatsApp client for a tenant: its own access token, or `WHATSAPP_TOKEN`. */
  whatsappFor(tenant: Tenant): Promise<WhatsAppPort>;
  /** The tenant's Google Business Profile client; throws IntegrationError permanent `not_connected` without a grant. */
  googleFor(tenant: Tenant): Promise<BusinessProfilePort>;
  /** The tenant's Google location media (photos); fails like `googleFor`. */
  googleMediaFor(tenant: Tenant): Promise<MediaPort>;
  /** Claude when `ANTHROPIC_API_KEY` is set, built-in rules and texts otherwise. */
  text: TextGenerator;
}

/** The one way to build the bag: every process gets the same clients, and the AI's fallbacks are logged. */
export function createServices(parts: Pick<Services, 'config' | 'logger' | 'vault' | 'agenda' | 'connection'>): Services {
  const { config, logger, vault, agenda } = parts;
  const googleFor = googleClientResolver(config, vault);
  return {
    ...parts,
    ...jobQueue(agenda),
    whatsappFor: whatsappClientResolver(config, vault),
    googleFor,
    googleMediaFor: async (tenant) => googleMedia(await googleFor(tenant)),
    text: createTextGenerator({
      apiKey: config.anthropic.apiKey,
      baseURL: config.anthropic.baseUrl,
      model: config.anthropic.model,
      logger: (fallback) => logger.warn({ operation: fallback.operation, reason: fallback.reason }, 'AI output not used; rules instead'),
    }),
  };
}
