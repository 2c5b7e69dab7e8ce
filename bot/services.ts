/**
 * The bag of resources handed to jobs, routes and flows. Built once per process by `startService`
 * (or by a test), so everything can run against fakes or the real outside world alike. Work for
 * later is queued by job name (`enqueue`, jobs/catalog.ts), never by importing a job.
 */
import type { Agenda } from 'agenda';
import type mongoose from 'mongoose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Vault } from './vault.ts';
import type { Tenant } from './db/models/index.ts';
import type { WhatsAppPort } from '../integrations/whatsapp/client.ts';
import type { TextGenerator } from '../integrations/anthropic/text-generator.ts';
import type { ReviewsPort } from '../integrations/google/client.ts';
import type { JobQueue } from '../jobs/queue.ts';

export interface Services extends JobQueue {
  config: Config;
  logger: Logger;
  vault: Vault;
  agenda: Agenda;
  connection: mongoose.Connection;
  /** The WhatsApp client for a tenant: its own access token, or `WHATSAPP_TOKEN`. */
  whatsappFor(tenant: Tenant): Promise<WhatsAppPort>;
  /** The tenant's Google Business Profile client; throws IntegrationError permanent `not_connected` without a grant. */
  googleFor(tenant: Tenant): Promise<ReviewsPort>;
  /** Claude when `ANTHROPIC_API_KEY` is set, built-in rules and texts otherwise. */
  text: TextGenerator;
}
