/**
 * Voicenter CDR Notifications → Findo events. Voicenter posts one call detail record per finished
 * call, as JSON or as form fields depending on the account's integration setting. An unanswered
 * inbound call becomes `call.missed`; every other call is understood and ignored.
 *
 * Voicenter sends no signature, secret or auth header: the URL (our per-tenant path key) is the only
 * credential (Voicenter's own docs: "There is no inbound auth header — the URL itself is the secret").
 */
import { toE164 } from '../../lib/phone.ts';
import type { MissedCallEvent, NormaliseResult } from '../events.ts';
import {
  asRecord,
  ignore,
  instantAt,
  israelWallClockToInstant,
  pickNumber,
  pickString,
  quarantine,
  unwrapJsonFormField,
  type WebhookRecord,
} from '../providers.ts';

/**
 * The body Voicenter expects with its 200 (`Err` 1 = parse error, 2 = application error). Voicenter
 * retries a CDR on a non-200 answer or a slow one. The route merges this into Findo's own body,
 * e.g. `{ status: 'accepted', eventId, ...VOICENTER_ACKNOWLEDGEMENT }`, for accepted and duplicate events.
 */
export const VOICENTER_ACKNOWLEDGEMENT = { Err: 0, Errdesc: 'OK' } as const;

// Call types whose legs are never a customer calling the business, whatever `direction` says:
// agent-initiated calls, dialer legs, and manual transfers (the original call has its own CDR).
const NON_CUSTOMER_TYPES = new Set([
  'extension outgoing',
  'click2call leg1',
  'click2call leg2',
  'productivecall leg1',
  'productivecall leg2',
  'click 2 ivr',
  'xfercdr',
]);
const INBOUND_TYPES = new Set(['incoming call', 'queue', 'voicemail', 'click 2 ivr incoming']);
// Call Log `CdrType` ids of the inbound types: Incoming, Queue, VoiceMail, Click 2 IVR / Queue Incoming.
const INBOUND_CDR_TYPES = new Set([1, 8, 11, 18, 19]);

const MISSED_STATUS: Record<string, MissedCallEvent['status']> = {
  ABANDONE: 'abandoned',
  NOANSWER: 'no_answer',
  TIMEOUT: 'no_answer',
  BUSY: 'busy',
  CANCEL: 'cancelled',
  VOICEMAIL: 'voicemail',
  FULL: 'queue_unavailable',
  JOINEMPTY: 'queue_unavailable',
  EXIT: 'queue_unavailable',
};

// `time` outside this window around receipt is not trusted (§4.2 of the provider reference).
const MAX_CLOCK_AHEAD_MS = 10 * 60_000;
const MAX_DELIVERY_DELAY_MS = 24 * 60 * 60_000;

/**
 * Normalises one Voicenter CDR Notification.
 *
 * Event ids: `vc-missed:<OriginalIvrUniqueID ?? ivruniqueid>` for a missed call, so a queue CDR and
 * a transfer CDR of the same caller experience yield one flow; `vc:<ivruniqueid>:<type>` for ignored
 * calls, since Click2Call legs and transfers share a call id but differ in type.
 */
export function normaliseVoicenterWebhook(body: unknown, meta: { contentType: string; receivedAt: Date }): NormaliseResult {
  const cdr = unwrapJsonFormField(asRecord(body));
  if (!cdr) return quarantine('voicenter', body, 'body is not a CDR object');
  const callId = pickString(cdr, 'ivruniqueid');
  if (!callId) return quarantine('voicenter', body, 'CDR has no ivruniqueid (Voicenter call id)');
  const type = pickString(cdr, 'type');
  const cdrEventId = `vc:${callId}:${type ?? 'untyped'}`;

  const inbound = isInboundCustomerCall(cdr);
  if (inbound === null) return quarantine('voicenter', body, 'CDR has no direction, type or CdrType to tell an inbound call');
  if (!inbound) {
    const direction = pickString(cdr, 'direction');
    return ignore('voicenter', cdrEventId, `not an inbound customer call (${[direction, type].filter(Boolean).join(', ')})`);
  }

  const providerStatus = pickString(cdr, 'status') ?? '';
  const reachedVoicemail = providerStatus.toUpperCase() === 'VOICEMAIL' || type?.toLowerCase() === 'voicemail';
  if (!reachedVoicemail && wasAnswered(cdr, providerStatus)) return ignore('voicenter', cdrEventId, 'answered call');

  const callerPhoneRaw = pickString(cdr, 'callerPhone', 'caller') ?? '';
  const event: MissedCallEvent = {
    kind: 'call.missed',
    provider: 'voicenter',
    providerCallId: pickString(cdr, 'OriginalIvrUniqueID') ?? callId,
    callerPhone: toE164(callerPhoneRaw),
    callerPhoneRaw,
    calledNumber: toE164(pickString(cdr, 'did')),
    occurredAt: callStartedAt(cdr, meta.receivedAt).toISOString(),
    // A call that reached voicemail is reported as missed; whether a left message counts is the tenant's call.
    status: reachedVoicemail ? 'voicemail' : (MISSED_STATUS[providerStatus.toUpperCase()] ?? 'other'),
    providerStatus,
  };
  return { ok: true, eventId: `vc-missed:${event.providerCallId}`, event };
}

/** True for a customer calling in, false for any other leg, null when the CDR does not say. */
function isInboundCustomerCall(cdr: WebhookRecord): boolean | null {
  const type = pickString(cdr, 'type')?.toLowerCase();
  if (type && NON_CUSTOMER_TYPES.has(type)) return false;
  const direction = pickString(cdr, 'direction')?.toLowerCase();
  if (direction) return direction === 'incoming';
  if (type) return INBOUND_TYPES.has(type);
  const cdrType = pickNumber(cdr, 'CdrType');
  return cdrType === null ? null : INBOUND_CDR_TYPES.has(cdrType);
}

function wasAnswered(cdr: WebhookRecord, providerStatus: string): boolean {
  const isAnswer = pickNumber(cdr, 'isAnswer');
  return isAnswer !== null ? isAnswer === 1 : providerStatus.toUpperCase() === 'ANSWER';
}

/**
 * When the call started. Voicenter's `time` is an epoch "in Israel / account time zone": the
 * Israeli wall-clock time written as if it were UTC (its call ids, which carry local time, match
 * `time` read as UTC to the second). Read naively it lands 2–3 hours late. When it is missing or
 * implausible, fall back to receipt time minus the call's duration.
 */
function callStartedAt(cdr: WebhookRecord, receivedAt: Date): Date {
  const time = pickNumber(cdr, 'time');
  const wallClock = time !== null && time > 0 ? instantAt(time * 1000) : null;
  if (wallClock) {
    const startedAt = israelWallClockToInstant(wallClock.getTime());
    const deliveryDelay = receivedAt.getTime() - startedAt.getTime();
    if (deliveryDelay >= -MAX_CLOCK_AHEAD_MS && deliveryDelay <= MAX_DELIVERY_DELAY_MS) return startedAt;
  }
  // A duration outside 0…1 day is not a call's; the receipt time alone is then the best guess.
  const duration = pickNumber(cdr, 'duration') ?? 0;
  const plausibleDurationMs = duration >= 0 && duration * 1000 <= MAX_DELIVERY_DELAY_MS ? duration * 1000 : 0;
  return new Date(receivedAt.getTime() - plausibleDurationMs);
}
