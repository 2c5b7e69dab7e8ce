/**
 * The inbox queue (see bot/db/models/inbox.ts): intake adds an item per accepted event, workers
 * claim items in small batches, renew their leases while they work, and delete an item once its
 * generation is processed.
 *
 * A claim reads the small collection, then takes each candidate with a conditional update by
 * `_id` (the one filter every FerretDB backend pushes down). FerretDB does not make that update
 * atomic under concurrency, so two workers can both believe they claimed an item: the caller
 * still runs each item under the event's unique-insert lock and skips a generation already
 * processed (jobs/process-event.ts). On a real MongoDB the update is atomic and the candidates
 * come from the `dueAt` index.
 */
import { EventEmitter } from 'node:events';
import { InboxModel, isDuplicateKey } from '../db/models/index.ts';
import { CLAIM_LIFETIME_MS } from '../locks.ts';

/** How long a claim holds without renewal: a crashed worker's items are free again after this. */
export const LEASE_MS = CLAIM_LIFETIME_MS;

export interface ClaimedItem {
  eventRef: string;
  tenantId: string;
  generation: number;
  failures: number;
}

/** Tells this process's worker that work arrived, so it claims at once instead of at its next poll. */
export const inboxSignal = new EventEmitter();

/**
 * Adds processing of a stored event's current generation. Idempotent: when an item already
 * exists (a sweep, a replay while the event is still pending), it moves to the newer generation
 * and becomes due now.
 */
export async function enqueueEvent(event: { id: string; tenantId: string; provider: string; replays?: number | null }): Promise<void> {
  const generation = event.replays ?? 0;
  try {
    await InboxModel.create({
      _id: event.id,
      tenantId: event.tenantId,
      generation,
      priority: event.provider === 'whatsapp' ? 0 : 1,
      dueAt: new Date(),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await InboxModel.updateOne(
      { _id: event.id, generation: { $lt: generation } },
      { $set: { generation, dueAt: new Date(), failures: 0 } },
    );
  }
  inboxSignal.emit('enqueued');
}

/**
 * Up to `limit` due items that are free or whose lease expired, now held by `owner`: WhatsApp
 * messages first, then the oldest. Workers pick at random among the first candidates, so two of
 * them seldom reach for the same items.
 *
 * Only the candidates' read looks at the whole (small) collection; every write names the item by
 * `_id` alone, the one filter FerretDB on SQLite pushes down, so an item costs the same however
 * long the backlog. The write is therefore not conditional: two workers may both take an item,
 * and the event's lock decides which one runs it (jobs/process-event.ts).
 */
export async function claimItems(owner: string, limit: number): Promise<ClaimedItem[]> {
  const now = new Date();
  const candidates = await InboxModel.find(
    { dueAt: { $lte: now }, $or: [{ owner: null }, { leaseUntil: { $lt: now } }] },
    { _id: 1, tenantId: 1, generation: 1, failures: 1, priority: 1 },
  )
    .sort({ priority: 1, dueAt: 1 })
    .limit(limit * CANDIDATES_PER_CLAIM)
    .lean();
  const picked = shuffled(candidates)
    .sort((a, b) => (a.priority ?? 1) - (b.priority ?? 1))
    .slice(0, limit);
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const taken = await Promise.all(
    picked.map(
      async (candidate) => (await InboxModel.updateOne({ _id: candidate._id }, { $set: { owner, leaseUntil } })).matchedCount === 1,
    ),
  );
  return picked
    .filter((_, i) => taken[i])
    .map((item) => ({ eventRef: String(item._id), tenantId: item.tenantId, generation: item.generation, failures: item.failures ?? 0 }));
}

/** How many candidates a claim looks at per item it takes. */
const CANDIDATES_PER_CLAIM = 4;

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Extends the leases of the items a worker is working on. */
export async function renewLeases(eventRefs: string[]): Promise<void> {
  const leaseUntil = new Date(Date.now() + LEASE_MS);
  await Promise.all(eventRefs.map((ref) => InboxModel.updateOne({ _id: ref }, { $set: { leaseUntil } })));
}

/**
 * The item's generation is done (or gave up): it leaves the inbox. When a replay moved it to a
 * newer generation meanwhile, it goes back in, free, for that generation.
 */
async function removeItem(item: ClaimedItem): Promise<void> {
  const removed = await InboxModel.findOneAndDelete({ _id: item.eventRef }).lean();
  if (removed && removed.generation > item.generation) {
    await InboxModel.create({ ...removed, owner: null, leaseUntil: null, failures: 0 });
  }
}

export const completeItem = removeItem;

/** A failed run: due again after `retryInMs`, or out of the inbox when retries are exhausted (null). */
export async function failItem(item: ClaimedItem, retryInMs: number | null): Promise<void> {
  if (retryInMs === null) return removeItem(item);
  await InboxModel.updateOne(
    { _id: item.eventRef },
    { $set: { owner: null, leaseUntil: null, dueAt: new Date(Date.now() + retryInMs) }, $inc: { failures: 1 } },
  );
}

/** Gives an item back unprocessed (shutdown). */
export async function releaseItem(eventRef: string): Promise<void> {
  await InboxModel.updateOne({ _id: eventRef }, { $set: { owner: null, leaseUntil: null } });
}

/** Frees every item `owner` holds: a restarted worker takes its dead claims back at once. */
export async function releaseAllOf(owner: string): Promise<number> {
  const { modifiedCount } = await InboxModel.updateMany({ owner }, { $set: { owner: null, leaseUntil: null } });
  return modifiedCount;
}

/** Which of these events still have an inbox item. */
export async function pendingAmong(eventRefs: string[]): Promise<Set<string>> {
  const found = await InboxModel.find({ _id: { $in: eventRefs } }, { _id: 1 }).lean();
  return new Set(found.map((item) => String(item._id)));
}
