/** The invoicing and telephony providers whose webhooks carry the tenant's secret key in the path. */
import type { NormaliseResult } from '../../integrations/events.ts';
import { normaliseGreeninvoiceWebhook } from '../../integrations/greeninvoice/webhook.ts';
import { normaliseIcountWebhook } from '../../integrations/icount/webhook.ts';
import { normaliseVoicenterWebhook, VOICENTER_ACKNOWLEDGEMENT } from '../../integrations/voicenter/webhook.ts';
import type { WebhookProvider } from '../db/models/index.ts';

export interface ProviderWebhook {
  /** One result per event in the body: iCount may post several documents at once. */
  normalise(body: unknown, meta: { contentType: string; receivedAt: Date }): NormaliseResult[];
  /** Fields the provider needs in our 200 answer (Voicenter retries without its own). */
  acknowledgement?: Record<string, unknown>;
}

export const PROVIDER_WEBHOOKS: Record<WebhookProvider, ProviderWebhook> = {
  voicenter: { normalise: (body, meta) => [normaliseVoicenterWebhook(body, meta)], acknowledgement: VOICENTER_ACKNOWLEDGEMENT },
  greeninvoice: { normalise: (body, meta) => [normaliseGreeninvoiceWebhook(body, meta)] },
  icount: { normalise: normaliseIcountWebhook },
};
