/**
 * owner-welcome: welcomes a tenant's owner phones after it got its WhatsApp number (queued by
 * `findo tenant create --whatsapp-number-id` and `findo tenant set whatsappNumberId=…|ownerPhones=…`).
 * The welcome itself goes once per phone, ever (bot/flows/welcome.ts).
 */
import { welcomeOwners } from '../bot/flows/welcome.ts';
import { defineJob } from './define.ts';

export const ownerWelcomeJob = defineJob('owner-welcome', async ({ tenantId }, services) => {
  await welcomeOwners(services, tenantId);
});
