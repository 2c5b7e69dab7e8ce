/**
 * The small helpers every list/show command group shares: option parsers that fail as usage
 * errors, the `--tenant` scope, id → slug for tables, progress on a TTY.
 */
import { isValidObjectId } from 'mongoose';
import { TenantModel, type Tenant } from '../bot/db/models/index.ts';
import { findTenant } from '../bot/tenants.ts';
import { UsageError } from './runtime.ts';

/** Default for `--limit` on every list. */
export const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 10_000;

/** Parses `--limit N`; anything but a whole number from 1 to 10000 is a usage error. */
export function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_LIMIT) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, not "${value}"`);
  }
  return n;
}

/** An option parser that accepts only `values` (a usage error names them all). */
export function oneOf<const T extends string>(flag: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw new UsageError(`${flag} must be one of ${values.join(', ')}, not "${value}"`);
    }
    return value as T;
  };
}

/** A stored document id as typed by staff; a malformed one is a usage error. */
export function parseObjectId(value: string, what: string): string {
  if (!/^[0-9a-f]{24}$/i.test(value) || !isValidObjectId(value)) {
    throw new UsageError(`"${value}" is not a ${what} id (24 hex characters)`);
  }
  return value.toLowerCase();
}

/**
 * What `--tenant` selects: with a tenant, a filter naming it; without, every tenant, which the
 * tenant guard allows only with the explicit `allTenants` query option.
 */
export interface TenantScope {
  tenant: Tenant | null;
  filter: { tenantId?: string };
  options: { allTenants?: true };
}

export async function tenantScope(ref: string | undefined): Promise<TenantScope> {
  if (ref === undefined) return { tenant: null, filter: {}, options: { allTenants: true } };
  const tenant = await findTenant(ref);
  return { tenant, filter: { tenantId: tenant.id as string }, options: {} };
}

/** Tenant id → slug, for the human tables (JSON carries the id). */
export async function tenantSlugs(): Promise<Map<string, string>> {
  const tenants = await TenantModel.find({}, { slug: 1 }).lean();
  return new Map(tenants.map((t) => [String(t._id), t.slug]));
}

/** Progress for long operations: on stderr, and only when it is a terminal. */
export function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
}

/** Clears the progress line (no-op off a TTY). */
export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
}

/** Nothing stored under the id or key that was given: exit 1 (the call itself was well formed). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** `null` for absent values, so every JSON field is always present. */
export const orNull = <T>(value: T | null | undefined): T | null => (value === undefined ? null : value);
