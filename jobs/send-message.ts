/**
 * send-message: delivers a recorded outbound message — one that was deferred out of quiet hours or
 * Shabbat, or whose send hit a rate limit. The policy is applied again when it runs (the customer
 * may have opted out meanwhile). One pending run per message.
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { MessageModel, TenantModel } from '../bot/db/models/index.ts';
import { deliverMessage } from '../bot/outbound/sender.ts';
import { defineJob, enqueue, SEND_RETRY } from './define.ts';

export const sendMessageJob = defineJob({
  name: 'send-message',
  schema: z.object({ tenantId: z.string(), messageRef: z.string(), sendAfter: z.string() }),
  concurrency: 10,
  backoff: SEND_RETRY,
  async handler({ tenantId, messageRef }, services) {
    const tenant = await TenantModel.findById(tenantId);
    const message = await MessageModel.findOne({ tenantId, _id: messageRef });
    if (!tenant || !message) return;
    await deliverMessage(services, tenant, message);
  },
});

export async function enqueueDeferredSend(agenda: Agenda, input: { tenantId: string; messageRef: string; sendAfter: Date }) {
  const sendAfter = input.sendAfter.toISOString();
  await enqueue(agenda, sendMessageJob, { tenantId: input.tenantId, messageRef: input.messageRef, sendAfter }, {
    when: input.sendAfter,
    // One run per message and time: deferring again (from inside this job's own run) makes a new
    // run rather than rescheduling the running one, whose completion would clear the new time.
    uniqueBy: { name: sendMessageJob.name, 'data.messageRef': input.messageRef, 'data.sendAfter': sendAfter },
  });
}
