/**
 * missed-call-followup: the WhatsApp follow-up to a missed call, due `leadFollowupDelay` after it.
 * One pending follow-up per caller (jobs/catalog.ts): three calls in a minute make one message.
 */
import { TenantModel } from '../bot/db/models/index.ts';
import { sendMissedCallFollowup } from '../bot/flows/missed-call.ts';
import { withLock } from '../bot/locks.ts';
import { defineJob } from './define.ts';

export const missedCallFollowupJob = defineJob('missed-call-followup', async ({ tenantId, phone, eventRef }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant || tenant.disabled) return;
  await withLock(tenantId, `customer:${phone}`, () => sendMissedCallFollowup(services, tenant, phone, eventRef));
});
