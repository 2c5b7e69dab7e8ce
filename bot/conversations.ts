/**
 * Runs persisted conversations: per event, restore the machine from its stored snapshot, send the
 * event, persist the new snapshot together with the outbox of effects it asked for (one atomic
 * update guarded by the sequence number), then carry out the outbox. No actor lives in memory
 * between events. Effects carry deterministic keys, so carrying out an outbox again after a crash
 * repeats nothing; an event already applied (by its key) is not applied again.
 *
 * Callers hold the conversation's lock (`withLock`) while advancing it.
 */
import { createActor, type AnyStateMachine, type EventFromLogic, type InputFrom, type Snapshot } from 'xstate';
import { Types } from 'mongoose';
import { ConversationModel, type Conversation, type ConversationKind } from './db/models/index.ts';

/** An action the machine asked for, with its idempotency key. */
export interface Effect<Params = unknown> {
  type: string;
  params: Params;
  key: string;
}

export type EffectExecutor = (effect: Effect, conversation: Conversation) => Promise<void>;

export interface ConversationDefinition<M extends AnyStateMachine> {
  kind: ConversationKind;
  machine: M;
  version: number;
  /** The machine's named actions: each becomes an outbox entry. */
  actionNames: readonly string[];
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
  input: InputFrom<M>,
  execute: EffectExecutor,
): Promise<Conversation> {
  // Effects left by a crash come first: they belong to an earlier event.
  let current = await flushOutbox(conversation, execute);
  if (current.lastEventKeys.includes(eventKey) || current.status === 'closed') return current;

  const effects: { type: string; params: unknown }[] = [];
  const actor = createActor(provideCollectors(definition, effects), { snapshot: current.snapshot as Snapshot<unknown>, input }).start();
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
  current = await flushOutbox(updated, execute);
  return current;
}

/** Carries out a conversation's pending effects, then clears them (if nothing newer replaced them). */
export async function flushOutbox(conversation: Conversation, execute: EffectExecutor): Promise<Conversation> {
  const outbox = conversation.outbox as Effect[];
  if (outbox.length === 0) return conversation;
  for (const effect of outbox) await execute(effect, conversation);
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

function provideCollectors<M extends AnyStateMachine>(definition: ConversationDefinition<M>, sink: { type: string; params: unknown }[]) {
  const actions = Object.fromEntries(
    definition.actionNames.map((name) => [name, (_: unknown, params: unknown) => void sink.push({ type: name, params: params ?? {} })]),
  );
  return definition.machine.provide({ actions } as never) as M;
}

function stateName(snapshot: unknown): string {
  const value = (snapshot as { value?: unknown }).value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
