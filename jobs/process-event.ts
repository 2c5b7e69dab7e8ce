/**
 * process-event: the business work for one stored webhook event. Runs after the webhook answered;
 * retried with exponential backoff; a failure keeps its error and attempt count on the event.
 * Every effect downstream is idempotent (unique keys), so a replay never does anything twice.
 */
import { backoffStrategies, type Agenda } from 'agenda';
import { z } from 'zod';
import { recordActivity } from '../bot/activity.ts';
import { EventModel, isDuplicateKey, TenantModel, UNROUTED_TENANT, type StoredEvent } from '../bot/db/models/index.ts';
import { dispatchEvent } from '../bot/events/dispatch.ts';
import { withLock } from '../bot/locks.ts';
import { defineJob, enqueue } from './define.ts';

const PROCESSING_LOCK_LIFETIME = 2 * 60_000;

export const processEventJob = defineJob({
  name: 'process-event',
  schema: z.object({ tenantId: z.string(), eventRef: z.string(), generation: z.number().int().min(0) }),
  concurrency: 10,
  lockLifetime: PROCESSING_LOCK_LIFETIME,
  backoff: backoffStrategies.exponential({ delay: 2_000, maxDelay: 5 * 60_000, maxRetries: 6, jitter: 0.2 }),
  async handler({ tenantId, eventRef, generation }, services) {
    // A run may happen twice: a slow run outlives its job lock and another worker takes the job,
    // or the database does not lock jobs atomically (FerretDB). The event's own lock makes the
    // second run wait, and then find this generation already processed.
    await withLock(tenantId, `event:${eventRef}`, async () => {
      const event = await EventModel.findOne({ tenantId, _id: eventRef });
      if (!event || event.status === 'quarantined') return;
      if (event.status === 'processed' && (event.replays ?? 0) === generation) return;
      try {
        await dispatchEvent(services, event);
      } catch (error) {
        const message = (error as Error).message;
        await EventModel.updateOne(
          { tenantId, _id: eventRef },
          { $set: { status: 'failed', lastError: message }, $inc: { attempts: 1 } },
        );
        await recordActivity(tenantId, 'event.failed', `${event.provider} event ${event.eventId} failed: ${message}`, eventRef);
        throw error;
      }
      await EventModel.updateOne(
        { tenantId, _id: eventRef },
        { $set: { status: 'processed', processedAt: new Date() }, $unset: { lastError: '' }, $inc: { attempts: 1 } },
      );
    }, { ttlMs: PROCESSING_LOCK_LIFETIME });
  },
});

/**
 * Enqueues processing of a stored event, once per generation: a second enqueue of the same
 * generation (the stale-event sweep, a duplicate) is a no-op; a replay bumps the generation.
 *
 * `justStored`: the caller inserted the event a moment ago (webhook intake), so no job for it can
 * exist yet and a plain insert is enough. The uniqueness check is a query on the job's data, which
 * no index covers, so it scans Agenda's whole collection; on the request path that made every
 * webhook slower as jobs accumulated. The sweep and replays, off the request path, keep it.
 */
export async function enqueueEventProcessing(
  agenda: Agenda,
  event: { tenantId: string; id: string; replays?: number | null },
  options: { justStored?: boolean } = {},
) {
  const generation = event.replays ?? 0;
  await enqueue(agenda, processEventJob, { tenantId: event.tenantId, eventRef: event.id, generation }, options.justStored ? {} : {
    uniqueBy: { name: processEventJob.name, 'data.eventRef': event.id, 'data.generation': generation },
  });
}

/** Replays an event (staff): processed effects are idempotent, so nothing happens twice. */
export async function replayEvent(agenda: Agenda, tenantId: string, eventRef: string): Promise<StoredEvent | null> {
  if (tenantId === UNROUTED_TENANT) return rerouteWhatsAppEvent(agenda, eventRef);
  const event = await EventModel.findOneAndUpdate(
    { tenantId, _id: eventRef },
    { $set: { status: 'accepted' }, $unset: { reason: '' }, $inc: { replays: 1 } },
    { returnDocument: 'after' },
  );
  if (!event) return null;
  await enqueueEventProcessing(agenda, event);
  return event;
}

/**
 * Replays a WhatsApp item that no tenant's phone_number_id matched when it arrived. A tenantId is
 * immutable, so once a tenant has that number the item is stored again as that tenant's event (the
 * unique key makes a second replay find it) and processed; the unrouted copy stays as it was.
 * Returns null when still no active tenant has the number (or the event is not a routable item).
 */
async function rerouteWhatsAppEvent(agenda: Agenda, eventRef: string): Promise<StoredEvent | null> {
  const unrouted = await EventModel.findOne({ tenantId: UNROUTED_TENANT, _id: eventRef });
  const phoneNumberId = (unrouted?.body as { phoneNumberId?: unknown } | undefined)?.phoneNumberId;
  if (!unrouted || typeof phoneNumberId !== 'string') return null;
  const tenant = await TenantModel.findOne({ whatsappNumberId: phoneNumberId, disabled: { $ne: true } }, { _id: 1 });
  if (!tenant) return null;
  try {
    const routed = await EventModel.create({
      provider: unrouted.provider, tenantId: tenant.id, eventId: unrouted.eventId, status: 'accepted',
      contentType: unrouted.contentType, body: unrouted.body, receivedAt: unrouted.receivedAt,
    });
    await enqueueEventProcessing(agenda, routed);
    return routed;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return replayEvent(agenda, tenant.id, (await EventModel.findOne({ tenantId: tenant.id, provider: unrouted.provider, eventId: unrouted.eventId }, { _id: 1 }))!.id);
  }
}
