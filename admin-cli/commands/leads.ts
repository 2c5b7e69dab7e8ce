/**
 * `findo leads …`: the leads captured from conversations, across tenants or for one.
 */
import { Command } from 'commander';
import { LEAD_STATUSES, LeadModel, type LeadStatus } from '../../bot/db/models/index.ts';
import { DEFAULT_LIMIT, NotFoundError, oneOf, orNull, parseLimit, parseObjectId, tenantScope, tenantSlugs } from '../listing.ts';
import { printDetails, printJson, printTable, withDatabase } from '../runtime.ts';

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
