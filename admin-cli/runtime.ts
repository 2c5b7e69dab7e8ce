/**
 * What every CLI command shares: configuration, a database connection for the duration of the
 * command (the running embedded instance, or one started for the command), output and errors.
 */
import { CommanderError } from 'commander';
import { loadConfig, type Config } from '../bot/config.ts';
import { openDatabase } from '../bot/db/connection.ts';
import { ensureIndexes } from '../bot/db/models/index.ts';
import { TenantInputError } from '../bot/tenants.ts';
import { openVault, type Vault } from '../bot/vault.ts';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  config: Config;
  vault: Vault;
}

/** Runs `fn` with the database open, and closes it afterwards whatever happens. */
export async function withDatabase<T>(fn: (context: CommandContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const vault = openVault(config);
  const database = await openDatabase(config);
  try {
    await ensureIndexes();
    return await fn({ config, vault });
  } finally {
    await database.close();
  }
}

/** One JSON document on stdout, nothing else. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table for humans. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- cells hold scalars and ObjectIds, whose toString is their text
  const cell = (v: unknown) => (v === undefined || v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n${rows.map((r) => line(columns.map((c) => cell(r[c])))).join('\n')}\n`);
}

/** Key: value lines for one object, nested objects indented. */
export function printDetails(value: Record<string, unknown>, indent = ''): void {
  for (const [key, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      process.stdout.write(`${indent}${key}:\n`);
      printDetails(v as Record<string, unknown>, `${indent}  `);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- nested objects took the branch above: what is left is a scalar
      const shown = Array.isArray(v) ? v.join(', ') : v instanceof Date ? v.toISOString() : String(v ?? '');
      process.stdout.write(`${indent}${key}: ${shown}\n`);
    }
  }
}

/** The exit code for an error: 2 for usage mistakes, 1 for everything that failed. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    return 2;
  }
  if (error instanceof UsageError || error instanceof TenantInputError) return 2;
  return 1;
}

/** The one line shown on stderr for an error (never a stack trace, never a secret). */
export function errorLine(error: unknown): string | null {
  if (error instanceof CommanderError) return null; // commander already printed it
  return `findo: ${(error as Error)?.message ?? String(error)}`;
}
