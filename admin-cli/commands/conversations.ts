/**
 * `findo conversations …`: the persisted conversations (lead capture, review approvals) and, for
 * one, the transcript of messages with that phone.
 */
import { Command } from 'commander';
import { CONVERSATION_KINDS, ConversationModel, MessageModel, type ConversationKind } from '../../bot/db/models/index.ts';
import { printDetails, printJson, printTable, withDatabase } from '../runtime.ts';
import { DEFAULT_LIMIT, NotFoundError, oneOf, orNull, parseLimit, parseObjectId, tenantScope, tenantSlugs } from '../listing.ts';

export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

interface ConversationLike {
  _id: unknown;
  tenantId: string;
  kind: string;
  phone: string;
  subjectId?: string | null;
  status?: string | null;
  state?: string | null;
  machineVersion: number;
  seq?: number | null;
  number?: number | null;
  snapshot?: unknown;
  outbox?: unknown[] | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
  closedAt?: Date | null;
}

/** The stable JSON form of a conversation in a list (no snapshot). */
export function conversationView(conversation: ConversationLike) {
  return {
    id: String(conversation._id),
    tenantId: conversation.tenantId,
    kind: conversation.kind,
    phone: conversation.phone,
    subjectId: orNull(conversation.subjectId),
    status: orNull(conversation.status),
    state: orNull(conversation.state),
    machineVersion: conversation.machineVersion,
    seq: conversation.seq ?? 0,
    number: orNull(conversation.number),
    createdAt: orNull(conversation.createdAt),
    updatedAt: orNull(conversation.updatedAt),
    closedAt: orNull(conversation.closedAt),
  };
}

interface MessageLike {
  _id: unknown;
  direction: string;
  phone: string;
  audience?: string | null;
  kind?: string | null;
  text?: string | null;
  template?: { name?: string | null } | null;
  status: string;
  reason?: string | null;
  createdAt?: Date | null;
}

/** The stable JSON form of a message in a transcript. */
export function messageView(message: MessageLike) {
  return {
    id: String(message._id),
    direction: message.direction,
    phone: message.phone,
    audience: orNull(message.audience),
    kind: orNull(message.kind),
    text: orNull(message.text),
    template: orNull(message.template?.name),
    status: message.status,
    reason: orNull(message.reason),
    createdAt: orNull(message.createdAt),
  };
}

/** Every message of `tenantId` with `phone`, oldest first. */
export async function transcript(tenantId: string, phone: string) {
  const messages = await MessageModel.find({ tenantId, phone }).sort({ createdAt: 1, _id: 1 }).lean();
  return messages.map(messageView);
}

/** One transcript line for humans: time, arrow (← in, → out), status, text or template. */
export function transcriptLine(m: ReturnType<typeof messageView>): string {
  const content = m.text ?? (m.template ? `[template ${m.template}]` : `[${m.kind ?? 'message'}]`);
  const when = m.createdAt ? m.createdAt.toISOString() : '';
  return `${when}  ${m.direction === 'in' ? '←' : '→'} ${m.status.padEnd(9)} ${content.replace(/\n/g, ' ⏎ ')}`;
}

export function makeConversationsCommand(): Command {
  const conversations = new Command('conversations').description('customer and owner conversations, with transcripts');

  conversations
    .command('list')
    .description('list conversations, most recently active first')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--status <status>', `only this status: ${CONVERSATION_STATUSES.join(', ')}`, oneOf('--status', CONVERSATION_STATUSES))
    .option('--kind <kind>', `only this kind: ${CONVERSATION_KINDS.join(', ')}`, oneOf('--kind', CONVERSATION_KINDS))
    .option('--limit <n>', `at most this many (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo conversations list --tenant dani-plumbing --status open --json')
    .action(async (o: { tenant?: string; status?: ConversationStatus; kind?: ConversationKind; limit?: number; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const filter = { ...scope.filter, ...(o.status ? { status: o.status } : {}), ...(o.kind ? { kind: o.kind } : {}) };
        const found = await ConversationModel.find(filter, { snapshot: 0, outbox: 0 })
          .setOptions(scope.options)
          .sort({ updatedAt: -1, _id: -1 })
          .limit(o.limit ?? DEFAULT_LIMIT)
          .lean();
        const views = found.map(conversationView);
        if (o.json) return printJson(views);
        const slugs = await tenantSlugs();
        printTable(
          views.map((v) => ({ ...v, tenant: slugs.get(v.tenantId) ?? v.tenantId })),
          ['id', 'tenant', 'kind', 'phone', 'status', 'state', 'updatedAt'],
        );
      });
    });

  conversations
    .command('show')
    .description('show one conversation with its transcript (every message with that phone, in order)')
    .argument('<id>', 'the conversation id')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      const id = parseObjectId(ref, 'conversation');
      await withDatabase(async () => {
        // Looked up by id alone (staff don't know the tenant); the transcript is then tenant-scoped.
        const conversation = await ConversationModel.findOne({ _id: id }).setOptions({ allTenants: true }).lean();
        if (!conversation) throw new NotFoundError(`no conversation with id ${id}`);
        const view = {
          ...conversationView(conversation),
          snapshot: (conversation.snapshot ?? null) as unknown,
          outbox: conversation.outbox ?? [],
          transcript: await transcript(conversation.tenantId, conversation.phone),
        };
        if (o.json) return printJson(view);
        const { snapshot: _snapshot, outbox, transcript: lines, ...summary } = view;
        printDetails({ ...summary, outbox: `${outbox.length} pending effect(s)` });
        process.stdout.write(`transcript:\n${lines.length ? lines.map((m) => `  ${transcriptLine(m)}\n`).join('') : '  (no messages)\n'}`);
      });
    });

  return conversations;
}
