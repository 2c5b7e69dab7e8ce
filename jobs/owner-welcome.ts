/**
 * owner-welcome: welcomes a tenant's owner phones after it got its WhatsApp number (enqueued by
 * `findo tenant create --whatsapp-number-id` and `findo tenant set whatsappNumberId=…|ownerPhones=…`).
 * Retried like every send; the welcome itself goes once per phone (bot/flows/welcome.ts).
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { welcomeOwners } from '../bot/flows/welcome.ts';
import { defineJob, enqueue, SEND_RETRY } from './define.ts';

export const ownerWelcomeJob = defineJob({
  name: 'owner-welcome',
  schema: z.object({ tenantId: z.string() }),
  concurrency: 2,
  backoff: SEND_RETRY,
  async handler({ tenantId }, services) {
    await welcomeOwners(services, tenantId);
  },
});

export async function enqueueOwnerWelcome(agenda: Agenda, input: { tenantId: string }): Promise<void> {
  await enqueue(agenda, ownerWelcomeJob, input);
}
