/**
 * A tenant's Google grant revoked or expired: the tenant is disconnected (so checks stop), staff
 * see it in the activity feed, and the owners are told once per grant.
 */
import { createHash } from 'node:crypto';
import { recordActivity } from '../../activity.ts';
import { TenantModel, type Tenant } from '../../db/models/index.ts';
import { alertOwners, textAlert } from '../../outbound/owner-alerts.ts';
import type { Services } from '../../services.ts';
import { t } from '../../texts/index.ts';
import type { IntegrationError } from '../../../integrations/errors.ts';
import { mongoTokenStore } from '../../google-token-store.ts';
export const isDisconnect = (error: IntegrationError) => error.details.code === 'invalid_grant';

/**
 * A revoked or expired grant: the tenant is marked disconnected (so checks stop), staff see it in
 * the activity feed, and the owners are told once per grant. Other failures change nothing here.
 */
export async function onGoogleFailure(services: Services, tenant: Tenant, error: IntegrationError): Promise<void> {
  if (!isDisconnect(error)) return;
  const changed = await TenantModel.updateOne(
    { _id: tenant._id, 'google.connected': { $ne: false } },
    { $set: { 'google.connected': false } },
  );
  if (changed.modifiedCount > 0) {
    await recordActivity(
      tenant.id,
      'google.revoked',
      `Google access revoked or expired; the owner must reconnect (findo google connect ${tenant.slug})`,
    );
  }
  // Keyed by the grant, so the owners hear it once per grant however many workers notice.
  const tokens = await mongoTokenStore({ tenantId: tenant.id, vault: services.vault })
    .load()
    .catch(() => null);
  const grant = tokens ? createHash('sha256').update(tokens.refreshToken).digest('hex').slice(0, 16) : 'none';
  await alertOwners(services, tenant, textAlert(`google-disconnected:${grant}`, t(tenant.language, 'owner.googleDisconnected')), {
    audience: 'all',
  });
}
