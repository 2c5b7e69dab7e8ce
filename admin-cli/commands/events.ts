/**
 * `findo events …`: the raw webhooks Findo stored (queue-first, spec §4) and their processing state;
 * staff inspect failed or quarantined ones and replay them.
 */
import { Command } from 'commander';
import {
  EVENT_STATUSES,
  EventModel,
  type EventStatus,
  TenantModel,
  UNROUTED_TENANT,
  WEBHOOK_PROVIDERS,
} from '../../bot/db/models/index.ts';
import { storedBytes } from '../../bot/webhooks/body.ts';
import { printDetails, printJson, printTable, withDatabase } from '../runtime.ts';
import { DEFAULT_LIMIT, NotFoundError, oneOf, orNull, parseLimit, parseObjectId, tenantScope, tenantSlugs } from '../listing.ts';

/** Every provider an event can come from: WhatsApp plus the per-tenant webhook providers. */
export const EVENT_PROVIDERS = ['whatsapp', ...WEBHOOK_PROVIDERS] as const;
export type EventProvider = (typeof EVENT_PROVIDERS)[number];

interface EventLike {
  _id: unknown;
  tenantId: string;
  provider: string;
  eventId: string;
  status: string;
  contentType?: string | null;
  body?: unknown;
  raw?: unknown;
  reason?: string | null;
  attempts?: number | null;
  replays?: number | null;
  lastError?: string | null;
  receivedAt: Date;
  processedAt?: Date | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

/** The stable JSON form of an event in a list (no body). */
export function eventSummaryView(event: EventLike) {
  return {
    id: String(event._id),
    /** `-` for a WhatsApp event whose phone_number_id matched no tenant. */
    tenantId: event.tenantId,
    provider: event.provider,
    eventId: event.eventId,
    status: event.status,
    reason: orNull(event.reason),
    attempts: event.attempts ?? 0,
    replays: event.replays ?? 0,
    lastError: orNull(event.lastError),
    receivedAt: event.receivedAt,
    processedAt: orNull(event.processedAt),
  };
}

/** The stable JSON form of one event: the summary plus the full stored body. */
export function eventView(event: EventLike) {
  return {
    ...eventSummaryView(event),
    contentType: orNull(event.contentType),
    /** What Findo normalised from it (a WhatsApp item, a provider's event), or null. */
    body: event.body ?? null,
    /** The bytes as they came, as text (UTF-8; they were checked to be on arrival), or null. */
    raw: rawText(event.raw),
    createdAt: orNull(event.createdAt),
    updatedAt: orNull(event.updatedAt),
  };
}

function rawText(raw: unknown): string | null {
  return storedBytes(raw)?.toString('utf8') ?? null;
}

async function findEvent(ref: string) {
  const id = parseObjectId(ref, 'event');
  // An event ref names one document; staff don't know its tenant, so the read spans tenants.
  const event = await EventModel.findOne({ _id: id }).setOptions({ allTenants: true }).lean();
  if (!event) throw new NotFoundError(`no event with id ${id}`);
  return event;
}

export function makeEventsCommand(): Command {
  const events = new Command('events').description('stored webhook events: inspect and replay');

  events
    .command('list')
    .description('list events, newest first')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--provider <provider>', `only this provider: ${EVENT_PROVIDERS.join(', ')}`, oneOf('--provider', EVENT_PROVIDERS))
    .option('--status <status>', `only this status: ${EVENT_STATUSES.join(', ')}`, oneOf('--status', EVENT_STATUSES))
    .option('--limit <n>', `at most this many (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  findo events list --status failed\n  findo events list --tenant dani-plumbing --provider voicenter --limit 10 --json',
    )
    .action(async (o: { tenant?: string; provider?: EventProvider; status?: EventStatus; limit?: number; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const filter = {
          ...scope.filter,
          ...(o.provider ? { provider: o.provider } : {}),
          ...(o.status ? { status: o.status } : {}),
        };
        const found = await EventModel.find(filter, { body: 0 })
          .setOptions(scope.options)
          .sort({ receivedAt: -1, _id: -1 })
          .limit(o.limit ?? DEFAULT_LIMIT)
          .lean();
        const views = found.map(eventSummaryView);
        if (o.json) return printJson(views);
        const slugs = await tenantSlugs();
        printTable(
          views.map((v) => ({
            ...v,
            tenant: v.tenantId === UNROUTED_TENANT ? '(unrouted)' : (slugs.get(v.tenantId) ?? v.tenantId),
            note: v.lastError ?? v.reason ?? '',
          })),
          ['id', 'receivedAt', 'tenant', 'provider', 'eventId', 'status', 'attempts', 'replays', 'note'],
        );
      });
    });

  events
    .command('show')
    .description('show one event: the full stored body, attempts, last error and quarantine reason')
    .argument('<eventRef>', 'the event id (from `findo events list`)')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      parseObjectId(ref, 'event');
      await withDatabase(async () => {
        const view = eventView(await findEvent(ref));
        if (o.json) return printJson(view);
        const { body, ...rest } = view;
        printDetails(rest);
        process.stdout.write(`body:\n${JSON.stringify(body, null, 2)}\n`);
      });
    });

  events
    .command('replay')
    .description('process a stored event again (its effects are idempotent: nothing happens twice)')
    .argument('<eventRef>', 'the event id (from `findo events list`)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nThe event goes back to "accepted" and enters the inbox again as a new generation, which the\nworkers process once.\n' +
        'A WhatsApp event that matched no tenant is re-routed, once a tenant has its number, as a new\n' +
        'event of that tenant (the unrouted one stays as it was).\n\nExample:\n  findo events replay 66f1c0ffee0000000000abcd',
    )
    .action(async (ref: string, o: { json?: boolean }) => {
      parseObjectId(ref, 'event');
      await withDatabase(async () => {
        const event = await findEvent(ref);
        const sourceId = String(event._id);
        // Loaded here: it brings every flow, which list and show never need.
        const { replayEvent } = await import('../../jobs/process-event.ts');
        const replayed = await replayEvent(event.tenantId, sourceId);
        if (!replayed && event.tenantId === UNROUTED_TENANT) {
          const numberId = (event.body as { phoneNumberId?: unknown } | null)?.phoneNumberId;
          throw new Error(
            `event ${sourceId} is still unrouted: no active tenant has WhatsApp number id ${typeof numberId === 'string' ? numberId : '(none in the event)'}; ` +
              'give it to one with `findo tenant set <tenant> whatsappNumberId=<id>` and replay again',
          );
        }
        if (!replayed) throw new NotFoundError(`no event with id ${sourceId}`);
        const tenant = await TenantModel.findById(replayed.tenantId, { slug: 1 }).lean();
        const result = {
          /** The event that will be processed: for an unrouted WhatsApp event, its copy for the tenant. */
          id: replayed.id as string,
          tenantId: replayed.tenantId,
          provider: replayed.provider,
          eventId: replayed.eventId,
          /** The unrouted event's id when it was re-routed to a tenant, else null. */
          reroutedFrom: replayed.id === sourceId ? null : sourceId,
          previousStatus: event.status,
          status: replayed.status,
          job: 'process-event',
          generation: replayed.replays ?? 0,
        };
        if (o.json) return printJson(result);
        const what = `${result.provider} event ${result.eventId}`;
        const tenantName = tenant?.slug ?? result.tenantId;
        process.stdout.write(
          result.reroutedFrom
            ? `re-routed unrouted ${what} (${result.reroutedFrom}) to ${tenantName} as event ${result.id}; ` +
                `queued in the inbox (generation ${result.generation})\n`
            : `replayed ${what} (${result.id}) of ${tenantName}: ${result.previousStatus} → ${result.status}; ` +
                `queued in the inbox (generation ${result.generation})\n`,
        );
      });
    });

  return events;
}
