/**
 * Runs persisted conversations: per event, restore the machine from its stored snapshot, send the
 * event, persist the new snapshot together with the outbox of effects it asked for (one atomic
 * update guarded by the sequence number), then carry out the outbox. No actor lives in memory
 * between events. Effects carry deterministic keys, so carrying out an outbox again after a crash
 * repeats nothing; an event already applied (by its key) is not applied again.
 *
 * Callers hold the conversation's lock (`withLock`) while advancing it.
 */
import {
  createActor,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type MachineImplementationsFrom,
} from 'xstate';
import { Types } from 'mongoose';
import { ConversationModel, type Conversation, type ConversationKind } from './db/models/index.ts';

/**
 * A conversation's stored snapshot as the machine snapshot it was written from: the database keeps
 * it as untyped JSON, and this is the one place that says what it is. The machines' selectors read it.
 */
export const snapshotOf = (conversation: Pick<Conversation, 'snapshot'>) => conversation.snapshot as AnyMachineSnapshot;

/** An action the machine asked for, with its idempotency key, as stored in the outbox. */
export interface Effect {
  type: string;
  params: unknown;
  key: string;
}

/** The machine's named actions as `provide` takes them, each typed with the params `setup` declared. */
type ActionImplementations<M extends AnyStateMachine> = NonNullable<MachineImplementationsFrom<M>['actions']>;

/** What a handler knows about the effect besides its params. */
export interface EffectRun {
  /** Deterministic per conversation, transition and position: the idempotency key of what it does. */
  key: string;
  conversation: Conversation;
}

/**
 * One handler for every named action of the machine, receiving the params its `setup` declared:
 * a missing handler, an extra one, or one that reads the wrong params is a compile error. (Every
 * named action of a persisted machine is an effect; context updates are inline `assign`s.)
 */
export type EffectHandlers<M extends AnyStateMachine> = {
  [K in keyof ActionImplementations<M>]-?: (
    params: Parameters<NonNullable<ActionImplementations<M>[K]>>[1],
    run: EffectRun,
  ) => Promise<void>;
};

/** A stored conversation's machine parts, as an upgrade reads and writes them. */
export interface StoredMachine {
  snapshot: unknown;
  outbox: Effect[];
}

export interface ConversationDefinition<M extends AnyStateMachine> {
  kind: ConversationKind;
  machine: M;
  version: number;
  /** Brings a conversation stored by an older `version` of the machine to this one (pure). */
  upgrade?: (stored: StoredMachine, fromVersion: number) => StoredMachine;
}

const KEPT_EVENT_KEYS = 20;

/**
 * Creates the conversation document with the machine's initial snapshot and the outbox of what its
 * entry asked for (carried out by the caller with `flushOutbox`).
 */
export async function startConversation<M extends AnyStateMachine>(
  definition: ConversationDefinition<M>,
  fields: { tenantId: string; phone: string; subjectId?: string; number?: number },
  input: InputFrom<M>,
): Promise<Conversation> {
  const effects: { type: string; params: unknown }[] = [];
  const actor = createActor(provideCollectors(definition, effects), { input }).start();
  const snapshot = actor.getPersistedSnapshot();
  actor.stop();
  // The id is chosen first so the effects' keys can name it: one insert, snapshot and outbox together.
  const _id = new Types.ObjectId();
  return ConversationModel.create({
    _id,
    ...fields,
    kind: definition.kind,
    machineVersion: definition.version,
    snapshot,
    state: stateName(snapshot),
    status: (snapshot as { status?: string }).status === 'done' ? 'closed' : 'open',
    seq: 1,
    outbox: effects.map((e, i) => ({ ...e, key: `${_id.toHexString()}:1:${i}` })),
    lastEventKeys: [],
  });
}

/** Applies one event to a stored conversation and carries out what it asked for. */
export async function advanceConversation<M extends AnyStateMachine>(
  definition: ConversationDefinition<M>,
  conversation: Conversation,
  event: EventFromLogic<M>,
  eventKey: string,
  handlers: EffectHandlers<M>,
): Promise<Conversation> {
  // Effects left by a crash come first: they belong to an earlier event.
  let current = await flushOutbox(await upgraded(definition, conversation), handlers);
  if (current.lastEventKeys.includes(eventKey) || current.status === 'closed') return current;

  const effects: { type: string; params: unknown }[] = [];
  // Restored from its snapshot, the machine does not read its input again.
  const actor = createActor(provideCollectors(definition, effects), { snapshot: snapshotOf(current) }).start();
  actor.send(event);
  const snapshot = actor.getPersistedSnapshot();
  actor.stop();

  const seq = current.seq + 1;
  const done = (snapshot as { status?: string }).status === 'done';
  const updated = await ConversationModel.findOneAndUpdate(
    { tenantId: current.tenantId, _id: current._id, seq: current.seq },
    {
      $set: {
        snapshot,
        state: stateName(snapshot),
        seq,
        status: done ? 'closed' : 'open',
        ...(done ? { closedAt: new Date() } : {}),
        outbox: effects.map((e, i) => ({ ...e, key: `${current.id}:${seq}:${i}` })),
        lastEventKeys: [...current.lastEventKeys, eventKey].slice(-KEPT_EVENT_KEYS),
      },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new Error(`conversation ${current.id} changed while an event was applied; retrying`);
  current = await flushOutbox(updated, handlers);
  return current;
}

/**
 * The conversation as the current machine version stores it: one stored by an older version is
 * upgraded (snapshot and pending effects) and written back, guarded by its sequence number.
 */
async function upgraded<M extends AnyStateMachine>(
  definition: ConversationDefinition<M>,
  conversation: Conversation,
): Promise<Conversation> {
  if (conversation.machineVersion >= definition.version || !definition.upgrade) return conversation;
  const { snapshot, outbox } = definition.upgrade(
    { snapshot: conversation.snapshot, outbox: conversation.outbox as Effect[] },
    conversation.machineVersion,
  );
  const updated = await ConversationModel.findOneAndUpdate(
    { tenantId: conversation.tenantId, _id: conversation._id, seq: conversation.seq },
    { $set: { snapshot, outbox, machineVersion: definition.version } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new Error(`conversation ${conversation.id} changed while it was upgraded; retrying`);
  return updated;
}

/** Carries out a conversation's pending effects, then clears them (if nothing newer replaced them). */
export async function flushOutbox<M extends AnyStateMachine>(
  conversation: Conversation,
  handlers: EffectHandlers<M>,
): Promise<Conversation> {
  const outbox = conversation.outbox as Effect[];
  if (outbox.length === 0) return conversation;
  for (const effect of outbox) await handlerOf(handlers, effect.type)(effect.params, { key: effect.key, conversation });
  await ConversationModel.updateOne(
    { tenantId: conversation.tenantId, _id: conversation._id, seq: conversation.seq },
    { $set: { outbox: [] } },
  );
  conversation.outbox = [];
  return conversation;
}

/**
 * The conversation's last message did not reach the customer (skipped by policy, or failed for
 * good): it must not go on as if the question had been asked, so it ends, with the reason as its
 * state. Returns false when it was already closed.
 */
export async function endUndeliveredConversation(tenantId: string, conversationId: string, reason: string): Promise<boolean> {
  const ended = await ConversationModel.updateOne(
    { tenantId, _id: conversationId, status: 'open' },
    { $set: { status: 'closed', closedAt: new Date(), state: 'undelivered', closedReason: reason } },
  );
  return ended.modifiedCount > 0;
}

/**
 * The handler of a stored effect. The outbox holds what this machine version's actions pushed, so
 * the params are the ones its handler declares.
 */
function handlerOf<M extends AnyStateMachine>(
  handlers: EffectHandlers<M>,
  type: string,
): (params: unknown, run: EffectRun) => Promise<void> {
  if (!Object.hasOwn(handlers, type)) throw new Error(`no handler for the effect "${type}"`);
  return (handlers as Record<string, (params: unknown, run: EffectRun) => Promise<void>>)[type]!;
}

/** The machine with each of its named actions pushing `{ type, params }` into `sink`. */
function provideCollectors(
  definition: ConversationDefinition<AnyStateMachine>,
  sink: { type: string; params: unknown }[],
): AnyStateMachine {
  const actions = Object.fromEntries(
    Object.keys(definition.machine.implementations.actions).map((name) => [
      name,
      (_: unknown, params: unknown) => void sink.push({ type: name, params: params ?? {} }),
    ]),
  );
  return definition.machine.provide({ actions });
}

function stateName(snapshot: unknown): string {
  const value = (snapshot as { value?: unknown }).value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
