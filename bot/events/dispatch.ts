/**
 * Where a stored webhook event goes when its processing job runs: provider events are normalised
 * again (so a parser fix can be replayed over stored events) and handed to their flow; WhatsApp
 * items to the inbound pipeline.
 */
import { TenantModel, type StoredEvent, type WebhookProvider } from '../db/models/index.ts';
import { handleWhatsAppItem } from '../inbound.ts';
import type { Services } from '../services.ts';
import { decodeWebhookBody } from '../webhooks/body.ts';
import { PROVIDER_WEBHOOKS } from '../webhooks/providers.ts';
import { onDocumentIssued } from '../flows/review-requests.ts';
import { onMissedCall } from '../flows/missed-call.ts';
import type { WhatsAppWebhookItem } from '../../integrations/whatsapp/webhook.ts';

export async function dispatchEvent(services: Services, event: StoredEvent): Promise<void> {
  const tenant = await TenantModel.findById(event.tenantId);
  if (!tenant || tenant.disabled) return;
  if (event.provider === 'whatsapp') {
    await handleWhatsAppItem(services, tenant, event.body as WhatsAppWebhookItem);
    return;
  }
  // Normalised again from the stored bytes, so a parser fix applies to replays; a body of several
  // documents is several events, and this one is the document with this event's id.
  // (Events stored before the bytes were kept hold the parsed body itself.)
  const decoded = event.raw ? decodeWebhookBody(event.raw, event.contentType ?? '') : { ok: true as const, body: event.body as unknown };
  if (!decoded.ok) throw new Error(`stored body unreadable: ${decoded.error}`);
  const results = PROVIDER_WEBHOOKS[event.provider as WebhookProvider].normalise(decoded.body, {
    contentType: event.contentType ?? '',
    receivedAt: event.receivedAt,
  });
  const result = results.find((r) => r.eventId === event.eventId);
  if (!result) throw new Error(`no event ${event.eventId} in the stored body`);
  if (!result.ok) throw new Error(`payload not understood: ${result.reason}`);
  const normalised = result.event;
  switch (normalised.kind) {
    case 'call.missed':
      return onMissedCall(services, tenant, normalised, event.id);
    case 'document.issued':
      return onDocumentIssued(services, tenant, normalised);
    case 'ignored':
      return;
  }
}
