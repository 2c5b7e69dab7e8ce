/**
 * process-event: the business work for one stored webhook event, run by the inbox worker
 * (bot/inbox/) after the webhook answered. A failure keeps its error and attempt count on the
 * event and is retried by the one retry policy (jobs/retry.ts). Every effect downstream is idempotent (unique
 * keys), so a replay never does anything twice.
 */
import { recordActivity } from '../bot/activity.ts';
import { EventModel, isDuplicateKey, LockModel, TenantModel, UNROUTED_TENANT, type StoredEvent } from '../bot/db/models/index.ts';
import { dispatchEvent } from '../bot/events/dispatch.ts';
import { completeItem, enqueueEvent, failItem, LEASE_MS, type ClaimedItem } from '../bot/inbox/queue.ts';
import { LockTimeoutError, withLock } from '../bot/locks.ts';
import type { Services } from '../bot/services.ts';
import { EVENT_RETRY } from './catalog.ts';
import { retryDelay } from './retry.ts';

const eventLockKey = (eventRef: string) => `event:${eventRef}`;

/**
 * An event's lock lapses a little before its inbox item's lease (both are renewed together): a
 * worker that takes a dead worker's item then finds the event free, instead of giving up on it
 * and holding the item for another lease.
 */
const EVENT_LOCK_MS = LEASE_MS - 2_000;

/**
 * A query on one event by `_id` alone. FerretDB on SQLite pushes a filter down only when it is
 * `_id` and nothing else; `{ tenantId, _id }` would read and decode every event ever stored. The
 * id comes from an inbox item of that tenant, and the caller checks the tenant of what it reads.
 */
const eventById = (eventRef: string) => EventModel.where({ _id: eventRef }).setOptions({ allTenants: true });

/**
 * Processes one claimed inbox item as `owner`. Two workers can hold the same item (FerretDB's
 * claims are not atomic): the event's lock lets one run at a time, and the second finds this
 * generation already processed.
 */
export async function processEvent(services: Services, owner: string, item: ClaimedItem): Promise<void> {
  const { tenantId, eventRef, generation } = item;
  let error: Error | undefined;
  try {
    await withLock(
      tenantId,
      eventLockKey(eventRef),
      async () => {
        const event = await eventById(eventRef).findOne();
        if (!event || event.tenantId !== tenantId || event.status === 'quarantined') return;
        if (event.status === 'processed' && (event.replays ?? 0) === generation) return;
        try {
          await dispatchEvent(services, event);
        } catch (dispatchError) {
          error = dispatchError as Error;
          await eventById(eventRef).updateOne({}, { $set: { status: 'failed', lastError: error.message }, $inc: { attempts: 1 } });
          await recordActivity(tenantId, 'event.failed', `${event.provider} event ${event.eventId} failed: ${error.message}`, eventRef);
          return;
        }
        await eventById(eventRef).updateOne(
          {},
          { $set: { status: 'processed', processedAt: new Date() }, $unset: { lastError: '' }, $inc: { attempts: 1 } },
        );
      },
      { ttlMs: EVENT_LOCK_MS, waitMs: 0, owner },
    );
  } catch (lockError) {
    // Another worker holds the event (both claimed it): it completes the item; should it die, the
    // item's lease lapses and the event is looked at again.
    if (lockError instanceof LockTimeoutError) return;
    throw lockError;
  }
  if (!error) return completeItem(item);
  services.logger.warn({ eventRef, err: error.message }, 'event processing failed');
  return failItem(item, retryDelay(EVENT_RETRY, item.failures + 1, error));
}

/** Keeps the event locks of the items a worker is running alive, with their leases. */
export async function renewEventLocks(owner: string, eventRefs: string[]): Promise<void> {
  if (eventRefs.length === 0) return;
  await LockModel.updateMany(
    { key: { $in: eventRefs.map(eventLockKey) }, owner },
    { $set: { until: new Date(Date.now() + EVENT_LOCK_MS) } },
  ).setOptions({ allTenants: true });
}

/** Replays an event (staff): a new generation, processed once; its effects are idempotent. */
export async function replayEvent(tenantId: string, eventRef: string): Promise<StoredEvent | null> {
  if (tenantId === UNROUTED_TENANT) return rerouteWhatsAppEvent(eventRef);
  const event = await EventModel.findOneAndUpdate(
    { tenantId, _id: eventRef },
    { $set: { status: 'accepted' }, $unset: { reason: '' }, $inc: { replays: 1 } },
    { returnDocument: 'after' },
  );
  if (!event) return null;
  await enqueueEvent(event);
  return event;
}

/**
 * Replays a WhatsApp item that no tenant's phone_number_id matched when it arrived. A tenantId is
 * immutable, so once a tenant has that number the item is stored again as that tenant's event (the
 * unique key makes a second replay find it) and processed; the unrouted copy stays as it was.
 * Returns null when still no active tenant has the number (or the event is not a routable item).
 */
async function rerouteWhatsAppEvent(eventRef: string): Promise<StoredEvent | null> {
  const unrouted = await EventModel.findOne({ tenantId: UNROUTED_TENANT, _id: eventRef });
  const phoneNumberId = (unrouted?.body as { phoneNumberId?: unknown } | undefined)?.phoneNumberId;
  if (!unrouted || typeof phoneNumberId !== 'string') return null;
  const tenant = await TenantModel.findOne({ whatsappNumberId: phoneNumberId, disabled: { $ne: true } }, { _id: 1 });
  if (!tenant) return null;
  try {
    const routed = await EventModel.create({
      provider: unrouted.provider,
      tenantId: tenant.id,
      eventId: unrouted.eventId,
      status: 'accepted',
      contentType: unrouted.contentType,
      body: unrouted.body as unknown,
      receivedAt: unrouted.receivedAt,
    });
    await enqueueEvent(routed);
    return routed;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return replayEvent(
      tenant.id,
      (await EventModel.findOne({ tenantId: tenant.id, provider: unrouted.provider, eventId: unrouted.eventId }, { _id: 1 }))!.id,
    );
  }
}
