/**
 * `findo customer …` (privacy): export everything Findo holds on one customer of one tenant, or
 * forget it. The customer is named by tenant and phone, so nothing of another tenant is touched.
 */
import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { CustomerModel, MessageModel, type Tenant } from '../../bot/db/models/index.ts';
import { toE164 } from '../../lib/phone.ts';
import { cancelPendingJobsFor, CUSTOMER_DATA, forgetCustomerRecord, type CustomerDataKey } from '../../bot/privacy.ts';
import { findTenant } from '../../bot/tenants.ts';
import { printDetails, printJson, printTable, UsageError, withDatabase } from '../runtime.ts';
import { transcriptLine, messageView } from './conversations.ts';
import { progress, progressDone } from '../listing.ts';

/** The phone as staff typed it, in E.164; anything else is a usage error. */
export function parsePhone(raw: string): string {
  const phone = toE164(raw);
  if (!phone) throw new UsageError(`"${raw}" is not a phone number`);
  return phone;
}

/** `1 lead`, `2 leads`: labels are plural; drop the final `s` for one. */
const counted = (n: number, label: string) => `${n} ${n === 1 ? label.replace(/s$/, '') : label}`;

/** A stored document as exported: `_id` becomes `id`, mongoose's version key goes. */
function exported(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id, __v: _version, ...rest } = doc;
  return { id: String(_id), ...rest };
}

async function exportCustomer(tenant: Tenant, phone: string) {
  const scope = { tenantId: tenant.id as string, phone };
  progress('reading customer…');
  const customer = await CustomerModel.findOne(scope).lean();
  const data = {} as Record<CustomerDataKey, Record<string, unknown>[]>;
  for (const { key, label, model, filter } of CUSTOMER_DATA) {
    progress(`reading ${label}…`);
    const docs = (await model
      .find(await filter(scope.tenantId, phone))
      .sort({ _id: 1 })
      .lean()) as Record<string, unknown>[];
    data[key] = docs.map(exported);
  }
  progressDone();
  return {
    tenant: { id: tenant.id as string, slug: tenant.slug, name: tenant.name },
    phone,
    exportedAt: new Date(),
    customer: customer ? exported(customer as Record<string, unknown>) : null,
    ...data,
  };
}

async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function makeCustomerCommand(): Command {
  const customer = new Command('customer').description("privacy: export or forget one customer's data");

  customer
    .command('export')
    .description(
      'everything Findo holds on a customer of a tenant: customer record, messages, leads, review requests, conversations, raw events, activity lines',
    )
    .argument('<tenant>', 'id or slug')
    .argument('<phone>', 'the customer phone, any Israeli form or +E.164')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo customer export dani-plumbing 052-765-4321 --json > customer.json')
    .action(async (tenantRef: string, rawPhone: string, o: { json?: boolean }) => {
      const phone = parsePhone(rawPhone);
      await withDatabase(async () => {
        const tenant = await findTenant(tenantRef);
        const view = await exportCustomer(tenant, phone);
        if (o.json) return printJson(view);
        const total = CUSTOMER_DATA.reduce((sum, { key }) => sum + view[key].length, 0);
        if (!view.customer && total === 0) {
          process.stdout.write(`Findo holds nothing on ${phone} for ${tenant.slug}\n`);
          return;
        }
        process.stdout.write(`customer ${phone} of ${tenant.slug}\n`);
        if (view.customer) printDetails(view.customer, '  ');
        process.stdout.write(`\nmessages (${view.messages.length}):\n`);
        // The export's records are untyped; the transcript reads the same messages as documents.
        const messages = await MessageModel.find({ tenantId: tenant.id, phone }).sort({ _id: 1 }).lean();
        for (const m of messages) process.stdout.write(`  ${transcriptLine(messageView(m))}\n`);
        process.stdout.write(`\nleads (${view.leads.length}):\n`);
        printTable(view.leads, ['id', 'createdAt', 'status', 'name', 'need', 'preferredTime']);
        process.stdout.write(`\nreview requests (${view.reviewRequests.length}):\n`);
        printTable(view.reviewRequests, ['id', 'createdAt', 'provider', 'documentId', 'status', 'sentAt']);
        process.stdout.write(`\nconversations (${view.conversations.length}):\n`);
        printTable(view.conversations, ['id', 'createdAt', 'kind', 'status', 'state']);
        process.stdout.write(`\nraw events (${view.events.length}):\n`);
        printTable(view.events, ['id', 'receivedAt', 'provider', 'eventId', 'status']);
        process.stdout.write(`\nactivity lines (${view.activity.length}):\n`);
        printTable(view.activity, ['at', 'type', 'text']);
      });
    });

  customer
    .command('forget')
    .description(
      "delete a customer's messages, leads, conversations, review requests, raw events, activity lines, pending jobs and customer record (one tenant only)",
    )
    .argument('<tenant>', 'id or slug')
    .argument('<phone>', 'the customer phone, any Israeli form or +E.164')
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--json', 'print what was deleted as JSON')
    .addHelpText(
      'after',
      '\nWithout --yes it asks on the terminal, and refuses (exit 2) when there is none.\n' +
        'This cannot be undone; run `findo customer export` first if the customer asked for a copy.\n' +
        'Of a customer who opted out, the opt-out alone is kept (phone, opted out, when), so that a later\n' +
        'call or invoice never messages them again.\n\n' +
        'Example:\n  findo customer forget dani-plumbing 052-765-4321 --yes',
    )
    .action(async (tenantRef: string, rawPhone: string, o: { yes?: boolean; json?: boolean }) => {
      const phone = parsePhone(rawPhone);
      if (!o.yes && !process.stdin.isTTY) {
        throw new UsageError('refusing to delete without --yes: there is no terminal to confirm on');
      }
      await withDatabase(async () => {
        const tenant = await findTenant(tenantRef);
        const tenantId = tenant.id as string;
        // Filters are settled first, so what is counted for the question is what gets deleted.
        const filters = await Promise.all(CUSTOMER_DATA.map(({ filter }) => filter(tenantId, phone)));
        if (!o.yes) {
          const counts = await Promise.all(CUSTOMER_DATA.map(({ model }, i) => model.countDocuments(filters[i])));
          const record = await CustomerModel.countDocuments({ tenantId, phone });
          const summary = CUSTOMER_DATA.map(({ label }, i) => counted(counts[i], label)).join(', ');
          const ok = await confirmOnTerminal(
            `Delete ${summary} and ${counted(record, 'customer records')} of ${phone} at ${tenant.slug}? This cannot be undone. [y/N] `,
          );
          if (!ok) throw new Error('not confirmed; nothing was deleted');
        }
        progress('cancelling pending jobs…');
        // Pending work goes first, so nothing messages the customer while the rest is deleted.
        const pendingJobs = await cancelPendingJobsFor(tenantId, phone);
        const deleted = { pendingJobs } as Record<CustomerDataKey | 'customers' | 'pendingJobs', number>;
        for (const [i, { key, label, model }] of CUSTOMER_DATA.entries()) {
          progress(`deleting ${label}…`);
          deleted[key] = (await model.deleteMany(filters[i])).deletedCount;
        }
        // The customer record goes last: until then a re-run can still find what is left.
        progress('deleting customer record…');
        const record = await forgetCustomerRecord(tenantId, phone);
        deleted.customers = record.deleted;
        progressDone();
        const result = { tenantId, tenantSlug: tenant.slug, phone, deleted, optOutKept: record.optOutKept };
        if (o.json) return printJson(result);
        const parts = [
          ...CUSTOMER_DATA.map(({ key, label }) => counted(deleted[key], label)),
          counted(deleted.customers, 'customer records'),
          counted(pendingJobs, 'pending jobs'),
        ];
        const kept = record.optOutKept ? '; kept only their opt-out, so Findo never messages them again' : '';
        process.stdout.write(`forgot ${phone} at ${tenant.slug}: deleted ${parts.join(', ')}${kept}\n`);
      });
    });

  return customer;
}
