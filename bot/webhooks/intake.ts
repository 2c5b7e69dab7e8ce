/**
 * Queue-first intake: a webhook event is stored durably under its unique (provider, tenantId,
 * eventId) key before anything answers 2xx, then it enters the inbox (bot/inbox/), which wakes
 * this process's worker. A duplicate delivery hits the unique index and is reported, never
 * processed again.
 */
import { createHash } from 'node:crypto';
import { recordActivity } from '../activity.ts';
import { EventModel, isDuplicateKey, type StoredEvent } from '../db/models/index.ts';
import type { Provider } from '../../integrations/events.ts';
import { enqueueEvent } from '../inbox/queue.ts';

export type IntakeOutcome = 'accepted' | 'duplicate' | 'quarantined';

export interface IncomingEvent {
  provider: Provider;
  tenantId: string;
  eventId: string;
  contentType: string;
  /** The request body's bytes as they came. */
  raw?: Buffer;
  /** Normalised, validated fields only (never the untrusted body). */
  body?: unknown;
  /** Set when the payload authenticated but was not understood: stored for staff, not processed. */
  quarantineReason?: string;
}

/** Stores the event and, unless quarantined, enqueues its processing. */
export async function takeEvent(incoming: IncomingEvent): Promise<{ outcome: IntakeOutcome; event?: StoredEvent }> {
  let event: StoredEvent;
  try {
    event = await EventModel.create({
      provider: incoming.provider,
      tenantId: incoming.tenantId,
      eventId: incoming.eventId,
      status: incoming.quarantineReason ? 'quarantined' : 'accepted',
      reason: incoming.quarantineReason,
      contentType: incoming.contentType,
      raw: incoming.raw,
      body: incoming.body,
      receivedAt: new Date(),
    });
  } catch (error) {
    if (isDuplicateKey(error)) return { outcome: 'duplicate' };
    throw error;
  }
  if (incoming.quarantineReason) {
    await recordActivity(
      incoming.tenantId,
      'event.quarantined',
      `${incoming.provider} event quarantined: ${incoming.quarantineReason}`,
      event.id,
    );
    return { outcome: 'quarantined', event };
  }
  // Stored first: if this enqueue is lost (crash), the stale-event sweep enqueues it later.
  await enqueueEvent(event);
  return { outcome: 'accepted', event };
}

/** The fallback id of a payload that cannot be understood: exact re-deliveries still collapse. */
export const bodyDigestId = (provider: Provider, raw: Buffer): string =>
  `${provider}:sha256:${createHash('sha256').update(raw).digest('hex')}`;
