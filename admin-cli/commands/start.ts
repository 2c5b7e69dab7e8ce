/** `findo start`: the HTTP server and job workers, in one process or split by role. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../../bot/config.ts';
import type { Role } from '../../bot/service.ts';

const parsePort = (value: string) => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535');
  return port;
};

export function makeStartCommand(): Command {
  return new Command('start')
    .description('run the HTTP server and the job workers')
    .addOption(new Option('--role <role>', 'what this process runs').choices(['web', 'worker', 'all']).default('all'))
    .option('-p, --port <port>', 'listen port (default: $PORT or 3000)', parsePort)
    .action(async (options: { role: Role; port?: number }) => {
      const config = loadConfig();
      if (options.port) config.port = options.port;
      const [{ startFindo, SHUTDOWN, SHUTDOWN_BOUND_MS }, { createLogger }] = await Promise.all([
        import('../../bot/service.ts'),
        import('../../bot/logger.ts'),
      ]);
      const logger = createLogger(config.logLevel);
      // The last resort, should a shutdown step outlive its own bound.
      const shutdownLimitMs = SHUTDOWN.releaseMs + SHUTDOWN_BOUND_MS + 5_000;
      const starting = startFindo({ config, role: options.role, logger });
      // Installed before starting finishes, so a signal during startup stops it too.
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        setTimeout(() => {
          logger.error('shutdown took too long: exiting');
          process.exit(1);
        }, shutdownLimitMs).unref();
        // A start still waiting on a database that does not answer is given a moment, then left:
        // whatever it claimed lapses on its own, like a crashed process's.
        const startedInTime = Promise.race([starting, sleep(SHUTDOWN.releaseMs).then(() => null)]);
        startedInTime
          .then((findo) => {
            if (findo) return findo.stop();
            logger.warn('stopped while still starting: the database did not answer');
          })
          .then(
            () => process.exit(0),
            (error) => {
              logger.error({ err: (error as Error).message }, 'shutdown failed');
              process.exit(1);
            },
          );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.on('unhandledRejection', (reason) => logger.error({ err: String(reason) }, 'unhandled rejection'));
      await starting;
      // Keep running until a signal arrives.
      await new Promise<never>(() => {});
    });
}
