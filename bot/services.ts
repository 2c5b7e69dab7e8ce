/**
 * The bag of resources handed to jobs, routes and flows. Built once per process by `startService`
 * (or by a test), so everything can run against fakes or the real outside world alike.
 */
import type { Agenda } from 'agenda';
import type mongoose from 'mongoose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Vault } from './vault.ts';

export interface Services {
  config: Config;
  logger: Logger;
  vault: Vault;
  agenda: Agenda;
  connection: mongoose.Connection;
}
