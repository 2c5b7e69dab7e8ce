import { describe, expect, it } from 'vitest';
import type { MissedCallEvent, NormaliseResult } from '../../../integrations/events.ts';
import { voicenterAnsweredCall, voicenterMissedCall } from '../../../integrations/voicenter/fake.ts';
import { normaliseVoicenterWebhook } from '../../../integrations/voicenter/webhook.ts';

// 2026-01-14 10:32:15 in Israel (winter, UTC+2); Voicenter writes it as this "epoch".
const WINTER_CALL_AT = new Date('2026-01-14T08:32:15Z');
const WINTER_RECEIVED_AT = new Date('2026-01-14T08:33:30Z');
const json = { contentType: 'application/json', receivedAt: WINTER_RECEIVED_AT };
const form = { contentType: 'application/x-www-form-urlencoded', receivedAt: WINTER_RECEIVED_AT };

function missedCall(result: NormaliseResult): MissedCallEvent {
  if (!result.ok || result.event.kind !== 'call.missed') throw new Error(`expected call.missed, got ${JSON.stringify(result)}`);
  return result.event;
}

/** The body as express.urlencoded({ extended: false }) hands it over: every value a string, nested values as JSON text. */
function asFormFields(body: Record<string, unknown>): Record<string, string> {
  const encoded = new URLSearchParams(
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives reach String(): objects were JSON-encoded just before
    Object.entries(body).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]),
  ).toString();
  return Object.fromEntries(new URLSearchParams(encoded));
}

describe('normaliseVoicenterWebhook', () => {
  it('turns a caller who gave up in the queue into a missed call', () => {
    const cdr = voicenterMissedCall({ ivruniqueid: '20260114103215x7Qk2a' }, WINTER_CALL_AT);
    const result = normaliseVoicenterWebhook(cdr, json);
    expect(result).toEqual({
      ok: true,
      eventId: 'vc-missed:20260114103215x7Qk2a',
      event: {
        kind: 'call.missed',
        provider: 'voicenter',
        providerCallId: '20260114103215x7Qk2a',
        callerPhone: '+972547654321',
        callerPhoneRaw: '054-765-4321',
        calledNumber: '+972733456789',
        occurredAt: '2026-01-14T08:32:15.000Z',
        status: 'abandoned',
        providerStatus: 'ABANDONE',
      },
    });
  });

  it('reads a form-mode CDR (strings, IVR as JSON text, Hebrew) exactly like the JSON one', () => {
    const cdr = voicenterMissedCall({}, WINTER_CALL_AT);
    const fromForm = normaliseVoicenterWebhook(asFormFields(cdr), form);
    expect(fromForm).toEqual(normaliseVoicenterWebhook(cdr, json));
  });

  it('reads a whole CDR posted as JSON inside a single form field', () => {
    const cdr = voicenterMissedCall({}, WINTER_CALL_AT);
    const expected = normaliseVoicenterWebhook(cdr, json);
    expect(normaliseVoicenterWebhook({ data: JSON.stringify(cdr) }, form)).toEqual(expected);
    // A JSON body sent with a form content type: express.urlencoded makes the JSON text a key.
    expect(normaliseVoicenterWebhook({ [JSON.stringify(cdr)]: '' }, form)).toEqual(expected);
  });

  it.each(['054-765-4321', '0547654321', '972547654321', '+972 54 765 4321', '+972-54-765-4321', '00972547654321'])(
    'normalises the caller %s to E.164',
    (caller) => {
      const event = missedCall(normaliseVoicenterWebhook(voicenterMissedCall({ caller, callerPhone: caller }), json));
      expect(event.callerPhone).toBe('+972547654321');
      expect(event.callerPhoneRaw).toBe(caller);
    },
  );

  it('falls back to `caller` when `callerPhone` is empty', () => {
    const event = missedCall(normaliseVoicenterWebhook(voicenterMissedCall({ callerPhone: '', caller: '0547654321' }), json));
    expect(event.callerPhone).toBe('+972547654321');
  });

  it.each(['', 'anonymous', 'Restricted', 'SIPSIP', '201', '*2700'])(
    'keeps a missed call from a withheld or unusable caller (%j) with no phone',
    (caller) => {
      const event = missedCall(normaliseVoicenterWebhook(voicenterMissedCall({ caller, callerPhone: caller }), json));
      expect(event.callerPhone).toBeNull();
      expect(event.callerPhoneRaw).toBe(caller);
    },
  );

  it('ignores an answered call, under a stable per-CDR id', () => {
    const cdr = voicenterAnsweredCall({ ivruniqueid: '20260114103215abcd' });
    expect(normaliseVoicenterWebhook(cdr, json)).toEqual({
      ok: true,
      eventId: 'vc:20260114103215abcd:Queue',
      event: { kind: 'ignored', provider: 'voicenter', reason: 'answered call' },
    });
  });

  it('treats status ANSWER as answered when isAnswer is absent (form mode may drop it)', () => {
    const { isAnswer: _dropped, ...cdr } = voicenterAnsweredCall();
    const result = normaliseVoicenterWebhook(asFormFields(cdr), form);
    expect(result.ok && result.event.kind).toBe('ignored');
  });

  it.each([
    ['an outgoing call', { direction: 'outgoing', type: 'Extension Outgoing', status: 'NOANSWER' }],
    ['an internal call', { direction: 'internal', type: 'Incoming Call', status: 'NOANSWER' }],
    ['a Click2Call leg', { direction: 'incoming', type: 'Click2Call leg2', status: 'NOANSWER' }],
    ['a manual transfer', { direction: 'incoming', type: 'XferCDR', status: 'NOANSWER' }],
  ])('ignores %s', (_name, fields) => {
    const cdr = voicenterMissedCall({ ivruniqueid: '2026011410x', ...fields });
    expect(normaliseVoicenterWebhook(cdr, json)).toMatchObject({
      ok: true,
      eventId: `vc:2026011410x:${fields.type}`,
      event: { kind: 'ignored', provider: 'voicenter' },
    });
  });

  it('tells inbound calls by type or CdrType when there is no direction', () => {
    const { direction: _d, ...byType } = voicenterMissedCall({ type: 'Incoming Call', status: 'NOANSWER' });
    expect(missedCall(normaliseVoicenterWebhook(byType, json)).status).toBe('no_answer');
    const { direction: _d2, type: _t, ...byCdrType } = voicenterMissedCall({ status: 'BUSY' });
    expect(missedCall(normaliseVoicenterWebhook({ ...byCdrType, CdrType: '8' }, json)).status).toBe('busy');
  });

  it.each([
    ['ABANDONE', 'abandoned'],
    ['NOANSWER', 'no_answer'],
    ['TIMEOUT', 'no_answer'],
    ['BUSY', 'busy'],
    ['CANCEL', 'cancelled'],
    ['VOICEMAIL', 'voicemail'],
    ['FULL', 'queue_unavailable'],
    ['JOINEMPTY', 'queue_unavailable'],
    ['EXIT', 'queue_unavailable'],
    ['NOTCALLED', 'other'],
    ['TE', 'other'],
    ['VOEND', 'other'],
    ['SOMETHINGNEW', 'other'],
  ])('maps status %s to %s and keeps the raw value', (providerStatus, status) => {
    const event = missedCall(normaliseVoicenterWebhook(voicenterMissedCall({ status: providerStatus }), json));
    expect(event).toMatchObject({ status, providerStatus });
  });

  it('reports a call that reached voicemail as missed with status voicemail, even if Voicenter marks it answered', () => {
    const cdr = voicenterMissedCall({ type: 'VoiceMail', status: 'ANSWER', isAnswer: 1 });
    expect(missedCall(normaliseVoicenterWebhook(cdr, json)).status).toBe('voicemail');
  });

  it('gives a queue CDR and its transfer CDR one missed-call id (one flow per caller experience)', () => {
    const queue = voicenterMissedCall({ ivruniqueid: '20260114103215orig' });
    const transfer = voicenterMissedCall({
      ivruniqueid: '20260114103301leg2',
      type: 'Incoming Call',
      OriginalIvrUniqueID: '20260114103215orig',
    });
    const first = normaliseVoicenterWebhook(queue, json);
    const second = normaliseVoicenterWebhook(transfer, json);
    expect(first.eventId).toBe('vc-missed:20260114103215orig');
    expect(second.eventId).toBe(first.eventId);
    expect(missedCall(second).providerCallId).toBe('20260114103215orig');
  });

  it('gives a re-delivered CDR the same event id', () => {
    const cdr = voicenterMissedCall();
    const later = { contentType: 'application/json', receivedAt: new Date(Date.now() + 60_000) };
    expect(normaliseVoicenterWebhook(structuredClone(cdr), later).eventId).toBe(normaliseVoicenterWebhook(cdr, json).eventId);
    const answered = voicenterAnsweredCall();
    expect(normaliseVoicenterWebhook(asFormFields(answered), form).eventId).toBe(normaliseVoicenterWebhook(answered, json).eventId);
  });

  describe('the `time` trap: Voicenter writes Israeli wall-clock time as if it were UTC', () => {
    it('reads a winter call (UTC+2) at its real instant, not two hours late', () => {
      // 1768386735 read naively is 10:32:15Z; the call really began at 10:32:15 Israel time.
      const cdr = voicenterMissedCall({ time: 1768386735 });
      expect(missedCall(normaliseVoicenterWebhook(cdr, json)).occurredAt).toBe('2026-01-14T08:32:15.000Z');
    });

    it('reads a summer call (UTC+3) at its real instant, also from a form string', () => {
      const startedAt = new Date('2026-07-14T07:32:15Z'); // 10:32:15 in Israel
      const cdr = voicenterMissedCall({}, startedAt);
      expect(cdr.time).toBe(Date.UTC(2026, 6, 14, 10, 32, 15) / 1000);
      const meta = { contentType: form.contentType, receivedAt: new Date('2026-07-14T07:33:40Z') };
      expect(missedCall(normaliseVoicenterWebhook(asFormFields(cdr), meta)).occurredAt).toBe('2026-07-14T07:32:15.000Z');
    });

    it('falls back to receipt time minus duration when `time` is implausible or missing', () => {
      const stale = voicenterMissedCall({ time: 1595333610, duration: 48 }); // 2020
      expect(missedCall(normaliseVoicenterWebhook(stale, json)).occurredAt).toBe('2026-01-14T08:32:42.000Z');
      const future = voicenterMissedCall({ time: 1768386735 + 3600, duration: 48 });
      expect(missedCall(normaliseVoicenterWebhook(future, json)).occurredAt).toBe('2026-01-14T08:32:42.000Z');
      const { time: _t, ...untimed } = voicenterMissedCall({ duration: 48 });
      expect(missedCall(normaliseVoicenterWebhook(untimed, json)).occurredAt).toBe('2026-01-14T08:32:42.000Z');
    });
  });

  describe('payloads it cannot understand', () => {
    it.each([
      ['nothing', undefined],
      ['a string', 'hello'],
      ['an array', [voicenterMissedCall()]],
      ['an empty object', {}],
    ])('quarantines %s', (_name, body) => {
      const result = normaliseVoicenterWebhook(body, json);
      expect(result.ok).toBe(false);
      expect(result.eventId).toMatch(/^voicenter:sha256:[0-9a-f]{64}$/);
    });

    it('quarantines a CDR without a call id, saying so', () => {
      const { ivruniqueid: _id, ...cdr } = voicenterMissedCall();
      expect(normaliseVoicenterWebhook(cdr, json)).toMatchObject({ ok: false, reason: expect.stringContaining('ivruniqueid') });
    });

    it('quarantines a CDR that does not say which way the call went', () => {
      const { direction: _d, type: _t, ...cdr } = voicenterMissedCall();
      expect(normaliseVoicenterWebhook(cdr, json)).toMatchObject({ ok: false, reason: expect.stringContaining('direction') });
    });

    it('gives the same junk the same quarantine id, whatever its key order', () => {
      const a = normaliseVoicenterWebhook({ foo: 1, bar: { b: 2, a: 1 } }, json);
      const b = normaliseVoicenterWebhook({ bar: { a: 1, b: 2 }, foo: 1 }, json);
      const c = normaliseVoicenterWebhook({ foo: 2, bar: { a: 1, b: 2 } }, json);
      expect(a.eventId).toBe(b.eventId);
      expect(c.eventId).not.toBe(a.eventId);
    });
  });
});
