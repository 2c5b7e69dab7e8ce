/**
 * lead-silence-check: when a customer has not answered the bot's last question for
 * `leadNudgeDelay`, the conversation gets one nudge (inside the 24-hour window), and after another
 * silence it closes with a partial lead. Each bot question queues a check for the conversation's
 * sequence number at that moment; a check overtaken by a reply (the conversation moved on) does
 * nothing. (A new job per question rather than one rescheduled job: a job rescheduled from inside
 * its own run would have its new time overwritten when that run completes.)
 */
import { ConversationModel, TenantModel } from '../bot/db/models/index.ts';
import { applySilenceTimeout } from '../bot/flows/lead-capture.ts';
import { withLock } from '../bot/locks.ts';
import { defineJob } from './define.ts';

export const leadSilenceCheckJob = defineJob('lead-silence-check', async ({ tenantId, conversationRef, seq }, services) => {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant) return;
  const phone = (await ConversationModel.findOne({ tenantId, _id: conversationRef }, { phone: 1 }))?.phone;
  if (!phone) return;
  await withLock(tenantId, `customer:${phone}`, async () => {
    const conversation = await ConversationModel.findOne({ tenantId, _id: conversationRef });
    if (!conversation || conversation.status !== 'open' || conversation.seq !== seq) return;
    await applySilenceTimeout(services, tenant, conversation, `silence:${seq}`);
  });
});
