/**
 * Realistic Voicenter CDR Notifications for tests and the sandbox, shaped like the examples in
 * Voicenter's CDR documentation. Send them with `postProviderWebhook` (`{ form: true }` for an
 * account set to form mode).
 */
import { randomBytes } from 'node:crypto';
import { israelWallClockAt, type WebhookRecord } from '../providers.ts';

/** A CDR as Voicenter posts it in JSON mode (the fields Findo reads, plus the usual others). */
export interface VoicenterCdr extends WebhookRecord {
  ivruniqueid: string;
  caller: string;
  callerPhone: string;
  target: string;
  did: string;
  direction: string;
  type: string;
  status: string;
  isAnswer: number;
  time: number;
  duration: number;
}

/**
 * An inbound queue call the caller gave up on (`ABANDONE`), started at `startedAt` (default now).
 * `time` and the call id carry Israeli wall-clock time, as Voicenter's do.
 */
export function voicenterMissedCall(overrides: Partial<VoicenterCdr> = {}, startedAt = new Date()): VoicenterCdr {
  const { time, ivruniqueid } = voicenterCallClock(startedAt);
  return {
    ivruniqueid,
    caller: '054-765-4321',
    callerPhone: '054-765-4321',
    target: '',
    did: '0733456789',
    direction: 'incoming',
    type: 'Queue',
    status: 'ABANDONE',
    isAnswer: 0,
    time,
    duration: 48,
    actualCallDuration: 0,
    dialtime: 0,
    queueid: 4411,
    queuename: 'שירות לקוחות',
    seconds_waiting_in_queue: 41,
    IVR: [{ layer_id: 501, layer_name: 'תפריט ראשי', layer_number: 0, Dtmf: 2, dtmf_order: 1 }],
    extenUser: '',
    representative_name: '',
    representative_code: '',
    record: '',
    price: 0,
    DepartmentID: 120045,
    DepartmentName: 'מרפאת שיניים לדוגמה',
    CustomData: {},
    ...overrides,
  };
}

/** The same caller, answered by an agent in the queue. */
export function voicenterAnsweredCall(overrides: Partial<VoicenterCdr> = {}, startedAt = new Date()): VoicenterCdr {
  const call = voicenterMissedCall(
    {
      status: 'ANSWER',
      isAnswer: 1,
      duration: 185,
      actualCallDuration: 160,
      dialtime: 6,
      extenUser: 'SIP1001',
      representative_name: 'נועה כהן',
      representative_code: '700123',
      ...overrides,
    },
    startedAt,
  );
  return { ...call, record: overrides.record ?? `https://cpanel.voicenter.co.il/CallsHistory/PlayRecord/${call.ivruniqueid}-aws.mp3` };
}

/** Voicenter's clock for a call started at `at`: `time` is Israeli wall-clock time written as a UTC epoch, and the call id begins with it. */
export function voicenterCallClock(at: Date): { time: number; ivruniqueid: string } {
  const wallClockMs = israelWallClockAt(at);
  const stamp = new Date(wallClockMs).toISOString().replace(/\D/g, '').slice(0, 14);
  return { time: wallClockMs / 1000, ivruniqueid: `${stamp}${randomBytes(4).toString('base64url')}` };
}
