/**
 * Helpers for the Google review tests: connect a tenant to the fake Google the way an owner
 * would (consent page → code → exchange), link a location, and read what the owner was sent.
 */
import { TenantModel, type Tenant } from '../../../bot/db/models/index.ts';
import { googleOAuth } from '../../../bot/google-clients.ts';
import { mongoTokenStore } from '../../../bot/google-token-store.ts';
import type { FakeSentMessage } from '../../../integrations/whatsapp/fake-server.ts';
import type { Harness } from '../../support/harness.ts';

/** Follows the fake's consent page (which consents at once) and returns the code it redirects with. */
export async function consentCode(consentUrl: string): Promise<string> {
  const res = await fetch(consentUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent page answered ${res.status}`);
  return new URL(location).searchParams.get('code')!;
}

/**
 * Connects the tenant to a new fake account and location and links it. `due: false` leaves the
 * first check for the test to run (the hourly dispatcher then leaves the tenant alone for an hour).
 */
export async function connectGoogle(h: Harness, tenant: Tenant, options: { due?: boolean } = {}) {
  const oauth = googleOAuth(h.findo.services.config);
  const tokens = await oauth.exchangeCode(await consentCode(oauth.consentUrl(tenant.id)));
  await mongoTokenStore({ tenantId: tenant.id, vault: h.findo.services.vault }).save(tokens);
  const account = h.google.addAccount();
  const location = h.google.addLocation(account.name);
  await TenantModel.updateOne(
    { _id: tenant._id },
    {
      $set: {
        'google.accountName': account.name,
        'google.locationName': location.name,
        'google.connected': true,
        'google.nextCheckAt': options.due === false ? new Date(Date.now() + 3_600_000) : new Date(),
      },
    },
  );
  return { account, location, tenant: (await TenantModel.findById(tenant._id))! };
}

/** Makes the tenant's next check due now (as if its minute of the hour had come). */
export async function checkDueNow(tenant: Tenant): Promise<void> {
  await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.nextCheckAt': new Date(0) } });
}

/** The words of a message the bot sent: text, interactive body, or template parameters. */
export function wordsOf(message: FakeSentMessage): string {
  return message.text ?? message.template?.bodyParams.join('\n') ?? JSON.stringify(message.request);
}

/** Everything sent to a phone so far, as words. */
export function sentTo(h: Harness, phone: string): string[] {
  return h.whatsapp.sent.filter((m) => m.to === phone).map(wordsOf);
}
