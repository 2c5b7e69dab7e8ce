/**
 * WhatsApp clients per access token: a tenant on its own WhatsApp Business Account uses its own
 * (encrypted) token, everyone else `WHATSAPP_TOKEN`. Clients are cached by token.
 */
import type { Config } from './config.ts';
import type { Tenant } from './db/models/index.ts';
import { getSecret } from './secrets.ts';
import type { Vault } from './vault.ts';
import { IntegrationError } from '../integrations/errors.ts';
import { createWhatsAppClient, type WhatsAppPort } from '../integrations/whatsapp/client.ts';

export function whatsappClientResolver(config: Config, vault: Vault): (tenant: Tenant) => Promise<WhatsAppPort> {
  const clients = new Map<string, WhatsAppPort>();
  return async (tenant) => {
    const token = (await getSecret(tenant.id, 'whatsappToken', vault)) ?? config.whatsapp.token;
    if (!token)
      throw new IntegrationError("no WhatsApp access token: set WHATSAPP_TOKEN or the tenant's whatsappToken", 'permanent', {
        provider: 'whatsapp',
        code: 'no_token',
      });
    let client = clients.get(token);
    if (!client) {
      client = createWhatsAppClient({
        apiUrl: config.whatsapp.apiUrl,
        apiVersion: config.whatsapp.apiVersion,
        token,
        appSecret: config.whatsapp.appSecret,
        timeoutMs: config.whatsapp.timeoutMs,
      });
      clients.set(token, client);
    }
    return client;
  };
}
