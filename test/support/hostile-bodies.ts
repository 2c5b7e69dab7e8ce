/**
 * Generated webhook requests for the hostile-input suite (fast-check): random shapes, deep nesting,
 * huge arrays, wrong types, operator-like keys, invalid UTF-8, wrong content types and encodings,
 * plus provider-shaped bodies with hostile values, so that some get past the parsers and reach the
 * jobs. Each request is bytes and headers; WhatsApp's are signed by the caller.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

export interface HostileRequest {
  /** What goes on the wire (gzipped when the encoding says gzip). */
  bytes: Buffer;
  /** The bytes before any content encoding: what a WhatsApp signature covers. */
  plain: Buffer;
  headers: Record<string, string>;
}

export type FuzzedRoute = 'whatsapp' | 'voicenter' | 'greeninvoice' | 'icount';

const HOSTILE_KEYS = ['$gt', '$where', 'a.b', '.', '$', '__proto__', 'constructor', 'prototype', 'toString', 'k\u0000ey', '', ' '];

const hostileKey = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }));

/** Values a careless parser chokes on: huge and negative numbers, numbers as text, odd strings. */
const hostileScalar = fc.oneof(
  fc.constantFrom(1e20, -1e20, 1e308, -0, 0, 2 ** 53 + 1, 'NaN', '99999999999999999999', '1e20', '-1', '', ' ', 'null', '\u202e', '\u0000'),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
);

const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A JSON text that nests `depth` arrays and objects. */
const deeplyNested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** JSON that `JSON.stringify` cannot write itself: raw big numbers, duplicate keys, lone surrogates. */
const oddJsonText = fc.constantFrom(
  '{"time":1e400,"duration":-1e400}',
  '{"id":1,"id":2}',
  '{"s":"\\ud800"}',
  '[' + '1,'.repeat(20_000) + '1]',
  deeplyNested(10_000),
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":{"polluted":true}}',
  '',
  'null',
  '"text"',
  '{',
);

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

/** A Voicenter CDR (shape of Voicenter's own examples) with hostile values in its fields. */
const voicenterShaped = fc.record(
  {
    ivruniqueid: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), hostileScalar),
    type: fc.oneof(fc.constantFrom('Incoming Call', 'Queue', 'VoiceMail', 'Extension Outgoing'), hostileScalar),
    direction: fc.oneof(fc.constantFrom('incoming', 'outgoing'), hostileScalar),
    status: fc.oneof(fc.constantFrom('NOANSWER', 'ABANDONE', 'ANSWER', 'BUSY'), hostileScalar),
    isAnswer: hostileScalar,
    caller: fc.oneof(fc.constantFrom('0527654321', '039876543', 'anonymous', '*3030'), hostileScalar),
    callerPhone: hostileScalar,
    did: hostileScalar,
    time: hostileScalar,
    duration: hostileScalar,
    IVR: hostileValue,
  },
  { requiredKeys: ['ivruniqueid'] },
);

/** A Morning document (shape of Morning's own document object) with hostile values. */
const greeninvoiceShaped = fc.record(
  {
    id: fc.oneof(fc.uuid(), hostileScalar),
    type: fc.oneof(fc.constantFrom(305, 320, 400, 330, '320'), hostileScalar),
    number: hostileScalar,
    date: fc.oneof(fc.constantFrom('2026-01-14', '2017-03-01', '2026-13-45', '99999-01-01'), hostileScalar),
    createdAt: hostileScalar,
    creationDate: hostileScalar,
    currency: hostileScalar,
    total: hostileScalar,
    recipient: fc.oneof(
      fc.record({
        name: hostileScalar,
        mobile: fc.oneof(fc.constantFrom('052-765-4321', '03-9876543'), hostileScalar),
        phone: hostileScalar,
        emails: hostileValue,
      }),
      hostileValue,
    ),
    client: hostileValue,
  },
  { requiredKeys: ['id'] },
);

/** An iCount document (shape of iCount's help-centre example: strings, nested client) with hostile values. */
const icountDocument = fc.record(
  {
    doctype: fc.oneof(fc.constantFrom('invrec', 'invoice', 'receipt', 'refund'), hostileScalar),
    docnum: hostileScalar,
    doc_date: fc.oneof(fc.constantFrom('2026-01-14', '20260114', '2026-02-30'), hostileScalar),
    clientname: hostileScalar,
    client: fc.oneof(fc.record({ phone: hostileScalar, mobile: fc.oneof(fc.constant('0527654321'), hostileScalar) }), hostileValue),
    currency: fc.oneof(fc.constantFrom('5', '1', 'ILS'), hostileScalar),
    totalwithvat: hostileScalar,
  },
  { requiredKeys: ['doctype', 'docnum'] },
);
const icountShaped = fc.oneof(icountDocument, fc.array(fc.oneof(icountDocument, hostileValue), { maxLength: 5 }));

/** A WhatsApp notification whose messages and statuses carry hostile values. */
function whatsappShaped(phoneNumberId: string) {
  // Mostly well-formed (so items reach the inbound pipeline and its jobs), now and then hostile.
  const usually = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostileScalar });
  const message = fc.record(
    {
      id: usually(fc.string({ minLength: 1, maxLength: 10 }).map((s) => `wamid.${s}`)),
      from: usually(fc.constantFrom('972527654321', '97239876543', '972547654321', '1555')),
      from_user_id: fc.constant('IL.13491208655302741918'),
      timestamp: usually(fc.constantFrom(String(Math.floor(Date.now() / 1000)), '99999999999999999999', '1')),
      type: usually(fc.constantFrom('text', 'button', 'interactive', 'image', 'reaction', 'unsupported')),
      text: usually(
        fc.record({ body: fc.oneof(fc.constantFrom('STOP', 'הסר', 'שלום', 'נציג', 'עזרה', 'לידים'), fc.string({ maxLength: 30 })) }),
      ),
    },
    { requiredKeys: ['id', 'timestamp', 'type'] },
  );
  const status = fc.record(
    {
      id: usually(fc.constant('wamid.unknown')),
      status: usually(fc.constantFrom('sent', 'delivered', 'read', 'failed', 'played')),
      timestamp: usually(fc.constant('1760000000')),
      recipient_id: usually(fc.constant('972527654321')),
      recipient_user_id: usually(fc.constant('IL.13491208655302741918')),
      errors: usually(fc.constant([{ code: 131026, title: 'Message undeliverable' }])),
    },
    { requiredKeys: ['id', 'status', 'timestamp'] },
  );
  const value = fc.record(
    {
      messaging_product: fc.constant('whatsapp'),
      metadata: usually(fc.constant({ display_phone_number: '97231234567', phone_number_id: phoneNumberId })),
      contacts: usually(fc.constant([{ profile: { name: 'דנה' }, wa_id: '972527654321', user_id: 'IL.1' }])),
      messages: usually(fc.array(message, { maxLength: 3 })),
      statuses: usually(fc.array(status, { maxLength: 2 })),
      errors: usually(fc.constant([{ code: 131045, title: 'Incorrect certificate' }])),
    },
    { requiredKeys: ['metadata'] },
  );
  return fc.record({
    object: usually(fc.constant('whatsapp_business_account')),
    entry: usually(
      fc.array(
        fc.record({
          id: fc.string(),
          changes: fc.array(fc.record({ field: usually(fc.constant('messages')), value }), { minLength: 1, maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    ),
  });
}

const SHAPED: Record<Exclude<FuzzedRoute, 'whatsapp'>, fc.Arbitrary<unknown>> = {
  voicenter: voicenterShaped,
  greeninvoice: greeninvoiceShaped,
  icount: icountShaped,
};

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A form body from fields, with one value possibly a JSON text (as Voicenter and iCount send nested data). */
const formBody = fc.oneof(
  fc
    .dictionary(
      hostileKey,
      fc.oneof(
        hostileScalar.map(String),
        hostileValue.map((v) => JSON.stringify(v) ?? ''),
      ),
      { maxKeys: 8 },
    )
    .map((fields) => Buffer.from(new URLSearchParams(Object.entries(fields)).toString())),
  hostileValue.map((v) => Buffer.from(JSON.stringify(v) ?? '')), // a JSON text sent as a form
  fc.constant(Buffer.from(Array.from({ length: 10_000 }, (_, i) => `f${i}=${i}`).join('&'))),
  fc.constant(Buffer.from('a=%E0%A4%A&b=%ZZ')),
);

/** Requests for one route: mostly JSON, some forms, some broken bytes, odd types and encodings. */
export function hostileRequests(route: FuzzedRoute, phoneNumberId: string): fc.Arbitrary<HostileRequest> {
  const shaped = route === 'whatsapp' ? whatsappShaped(phoneNumberId) : SHAPED[route];
  const jsonBytes = fc.oneof(
    { weight: 5, arbitrary: shaped.map(json) },
    { weight: 2, arbitrary: hostileValue.map(json) },
    { weight: 1, arbitrary: oddJsonText.map((text) => Buffer.from(text)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant(JSON_TYPE) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=klingon',
        'application/json; charset=utf-16',
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        '',
      ),
    },
  );
  const encoding = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'klingon', 'identity', 'br') },
  );
  const asJson = fc.tuple(jsonBytes, contentType, encoding).map(([bytes, type, enc]) => encoded(bytes, type, enc));
  if (route === 'whatsapp') return asJson; // Meta posts JSON only
  return fc.oneof(
    { weight: 4, arbitrary: asJson },
    { weight: 1, arbitrary: formBody.map((bytes) => encoded(bytes, FORM_TYPE, undefined)) },
  );
}

/** The request as sent: a gzip encoding really gzips the bytes; an unknown one leaves them as they are. */
function encoded(bytes: Buffer, contentType: string, encoding: string | undefined): HostileRequest {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  if (!encoding) return { bytes, plain: bytes, headers };
  headers['content-encoding'] = encoding;
  return { bytes: encoding === 'gzip' ? gzipSync(bytes) : bytes, plain: bytes, headers };
}
