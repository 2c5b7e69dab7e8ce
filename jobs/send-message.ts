/**
 * send-message: delivers a recorded outbound message — one that was deferred out of quiet hours or
 * Shabbat, or whose send hit a rate limit. The policy is applied again when it runs (the customer
 * may have opted out meanwhile). One pending run per message and time (jobs/catalog.ts).
 */
import { MessageModel, TenantModel } from '../bot/db/models/index.ts';
import { deliverMessage } from '../bot/outbound/sender.ts';
import { defineJob } from './define.ts';

export const sendMessageJob = defineJob('send-message', async ({ tenantId, messageRef }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  const message = await MessageModel.findOne({ tenantId, _id: messageRef });
  if (!tenant || !message) return;
  await deliverMessage(services, tenant, message);
});
