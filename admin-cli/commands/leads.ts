/**
 * `findo leads …`: the leads captured from conversations, across tenants or for one.
 *
 * This file also holds the small helpers every list/show group shares (option parsers that fail
 * as usage errors, the `--tenant` scope, id → slug for tables, progress on a TTY).
 */
import { Command } from 'commander';
import { isValidObjectId } from 'mongoose';
import { LEAD_STATUSES, LeadModel, TenantModel, type LeadStatus, type Tenant } from '../../bot/db/models/index.ts';
import { findTenant } from '../../bot/tenants.ts';
import { printDetails, printJson, printTable, UsageError, withDatabase } from '../runtime.ts';

// ---------------------------------------------------------------------------------------------
// Shared by the list/show command groups.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------

interface LeadLike {
  _id: unknown;
  tenantId: string;
  phone: string;
  name?: string | null;
  need?: string | null;
  preferredTime?: string | null;
  summary?: string | null;
  source: string;
  status?: string | null;
  conversationId: string;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

/** The stable JSON form of a lead. */
export function leadView(lead: LeadLike) {
  return {
    id: String(lead._id),
    tenantId: lead.tenantId,
    phone: lead.phone,
    name: orNull(lead.name),
    need: orNull(lead.need),
    preferredTime: orNull(lead.preferredTime),
    summary: orNull(lead.summary),
    source: lead.source,
    status: orNull(lead.status),
    conversationId: lead.conversationId,
    createdAt: orNull(lead.createdAt),
    updatedAt: orNull(lead.updatedAt),
  };
}

export function makeLeadsCommand(): Command {
  const leads = new Command('leads').description('leads captured from missed calls and conversations');

  leads
    .command('list')
    .description('list leads, newest first')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--status <status>', `only this status: ${LEAD_STATUSES.join(', ')}`, oneOf('--status', LEAD_STATUSES))
    .option('--limit <n>', `at most this many (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo leads list --tenant dani-plumbing --status new --json')
    .action(async (o: { tenant?: string; status?: LeadStatus; limit?: number; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const found = await LeadModel.find({ ...scope.filter, ...(o.status ? { status: o.status } : {}) })
          .setOptions(scope.options)
          .sort({ createdAt: -1, _id: -1 })
          .limit(o.limit ?? DEFAULT_LIMIT)
          .lean();
        const views = found.map(leadView);
        if (o.json) return printJson(views);
        const slugs = await tenantSlugs();
        printTable(
          views.map((v) => ({ ...v, tenant: slugs.get(v.tenantId) ?? v.tenantId })),
          ['id', 'tenant', 'createdAt', 'status', 'phone', 'name', 'need', 'preferredTime'],
        );
      });
    });

  leads
    .command('show')
    .description('show one lead')
    .argument('<leadId>', 'the lead id')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      const id = parseObjectId(ref, 'lead');
      await withDatabase(async () => {
        // Staff look a lead up by id alone, so the read spans tenants explicitly.
        const lead = await LeadModel.findOne({ _id: id }).setOptions({ allTenants: true }).lean();
        if (!lead) throw new NotFoundError(`no lead with id ${id}`);
        const view = leadView(lead);
        if (o.json) return printJson(view);
        printDetails(view);
      });
    });

  return leads;
}
