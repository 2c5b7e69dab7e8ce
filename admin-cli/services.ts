/** The service's resource bag inside a CLI command, and how a Google failure reads to staff. */
import mongoose from 'mongoose';
import { createAgenda } from '../bot/agenda.ts';
import type { Tenant } from '../bot/db/models/index.ts';
import { createLogger } from '../bot/logger.ts';
import { createServices, type Services } from '../bot/services.ts';
import { isIntegrationError } from '../integrations/errors.ts';
import { withDatabase, type CommandContext } from './runtime.ts';

/**
 * Runs `fn` with the service's resource bag inside a CLI command: the same WhatsApp, Google and
 * text clients the service uses, and an Agenda that only enqueues (never started here, so jobs it
 * queues run on the service's workers). Logs go to stderr; stdout stays for the result.
 */
export async function withCliServices<T>(fn: (services: Services, context: CommandContext) => Promise<T>): Promise<T> {
  return withDatabase(async (context) => {
    const { config, vault } = context;
    const logger = createLogger(config.logLevel, process.stderr);
    const agenda = await createAgenda(mongoose.connection, { name: `findo-cli-${process.pid}`, logger });
    const services = createServices({ config, logger, vault, agenda, connection: mongoose.connection });
    try {
      return await fn(services, context);
    } finally {
      await agenda.stop();
    }
  });
}

/**
 * A Google failure as the one line staff see: a revoked grant names the fix; everything else keeps
 * Google's own message (never a token).
 */
export function googleFailureLine(tenant: Tenant, error: unknown): Error {
  if (isIntegrationError(error)) {
    switch (error.details.code) {
      case 'invalid_grant':
        return new Error(
          `Google access for ${tenant.slug} was revoked or has expired; the owner was told. Reconnect: findo google connect ${tenant.slug}`,
        );
      case 'not_connected':
      case 'no_location':
        return new Error(error.message);
    }
  }
  return error instanceof Error ? error : new Error(String(error));
}
