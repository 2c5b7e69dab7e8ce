/**
 * Missed call → WhatsApp (flow F1, first half): a missed call schedules one follow-up per caller
 * after `leadFollowupDelay`. When it runs, everything is checked again — the caller may have
 * opted out, be an owner, already be talking to us, or have been followed up in the last 12 hours
 * — and only then does the `findo_missed_call` template go out and the lead conversation open.
 */
import { recordActivity } from '../activity.ts';
import { CustomerModel, type Tenant } from '../db/models/index.ts';
import { isReachableOnWhatsApp, sendMessage } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import type { MissedCallEvent } from '../../integrations/events.ts';
import { openLeadConversation, startMissedCallConversation } from './lead-capture.ts';

export const FOLLOWUP_COOLDOWN_MS = 12 * 3_600_000;

export async function onMissedCall(services: Services, tenant: Tenant, call: MissedCallEvent, eventRef: string): Promise<void> {
  if (!call.callerPhone) {
    await recordActivity(
      tenant.id,
      'message.skipped',
      `missed call from a withheld number (${call.callerPhoneRaw || 'anonymous'}): no follow-up possible`,
      eventRef,
    );
    return;
  }
  await services.enqueue(
    'missed-call-followup',
    { tenantId: tenant.id, phone: call.callerPhone, eventRef },
    {
      at: new Date(Date.now() + tenant.settings.leadFollowupDelay),
    },
  );
  await recordActivity(tenant.id, 'event.accepted', `missed call from ${call.callerPhone}: follow-up scheduled`, eventRef);
}

/** Why a follow-up is not sent, or null when it should be. Checked when the follow-up is due. */
async function followupBlocker(tenant: Tenant, phone: string, eventRef: string): Promise<string | null> {
  if (tenant.ownerPhones.includes(phone)) return 'the caller is an owner of the business';
  const customer = await CustomerModel.findOne({ tenantId: tenant.id, phone });
  if (!isReachableOnWhatsApp(phone, customer)) return 'landline: not reachable on WhatsApp';
  if (customer?.optedOut) return 'the caller opted out';
  if (await openLeadConversation(tenant.id, phone)) return 'already in a conversation';
  const followedUpFor = customer?.lastFollowupEvent;
  // The cooldown a retry of this same call took before its send does not block that send.
  if (customer?.lastFollowupAt && followedUpFor !== eventRef && Date.now() - customer.lastFollowupAt.getTime() < FOLLOWUP_COOLDOWN_MS) {
    return 'followed up within the last 12 hours';
  }
  return null;
}

/** The due follow-up (run under the customer's lock by its job). */
export async function sendMissedCallFollowup(services: Services, tenant: Tenant, phone: string, eventRef: string): Promise<void> {
  const blocker = await followupBlocker(tenant, phone, eventRef);
  if (blocker) {
    await recordActivity(tenant.id, 'message.skipped', `no follow-up to ${phone}: ${blocker}`, eventRef);
    return;
  }
  // The cooldown is taken before the send: written after it, a database lost right after WhatsApp
  // took the message would leave no trace of it, and the caller's next missed call would be
  // followed up again.
  await CustomerModel.updateOne(
    { tenantId: tenant.id, phone },
    { $set: { lastFollowupAt: new Date(), lastFollowupEvent: eventRef } },
    { upsert: true },
  );
  const outcome = await sendMessage(services, {
    tenantId: tenant.id,
    phone,
    audience: 'customer',
    idempotencyKey: `missed-call:${eventRef}`,
    content: { kind: 'template', name: 'findo_missed_call', vars: { business: tenant.name } },
  });
  if (outcome.status === 'skipped' || outcome.status === 'failed') {
    // Nothing went out: the caller was not followed up, so their next call may be.
    await CustomerModel.updateOne(
      { tenantId: tenant.id, phone, lastFollowupEvent: eventRef },
      { $unset: { lastFollowupAt: '', lastFollowupEvent: '' } },
    );
    return;
  }
  await startMissedCallConversation(services, tenant, phone);
}
