/**
 * missed-call-followup: the WhatsApp follow-up to a missed call, due `leadFollowupDelay` after it.
 * One pending follow-up per caller: three calls in a minute make one message.
 */
import type { Agenda } from 'agenda';
import { z } from 'zod';
import { TenantModel } from '../bot/db/models/index.ts';
import { sendMissedCallFollowup } from '../bot/flows/missed-call.ts';
import { withLock } from '../bot/locks.ts';
import { defineJob, enqueue, SEND_RETRY } from './define.ts';

export const missedCallFollowupJob = defineJob({
  name: 'missed-call-followup',
  schema: z.object({ tenantId: z.string(), phone: z.string(), eventRef: z.string() }),
  concurrency: 5,
  backoff: SEND_RETRY,
  async handler({ tenantId, phone, eventRef }, services) {
    const tenant = await TenantModel.findById(tenantId);
    if (!tenant || tenant.disabled) return;
    await withLock(tenantId, `customer:${phone}`, () => sendMissedCallFollowup(services, tenant, phone, eventRef));
  },
});

export async function enqueueMissedCallFollowup(agenda: Agenda, input: { tenantId: string; phone: string; eventRef: string; when: Date }) {
  await enqueue(agenda, missedCallFollowupJob, { tenantId: input.tenantId, phone: input.phone, eventRef: input.eventRef }, {
    when: input.when,
    // Pending runs only: once a follow-up ran, a later call schedules a new one (which then
    // applies the 12-hour rule).
    uniqueBy: { name: missedCallFollowupJob.name, 'data.tenantId': input.tenantId, 'data.phone': input.phone, nextRunAt: { $ne: null } },
  });
}
