import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWhatsAppWebhook, verifyWhatsAppSignature, type WhatsAppWebhookItem } from '../../../integrations/whatsapp/webhook.ts';

const SECRET = 'test-app-secret';
const sign = (bytes: Buffer | string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

describe('verifyWhatsAppSignature', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  it('accepts the HMAC-SHA256 of the raw body', () => {
    expect(verifyWhatsAppSignature(body, sign(body), SECRET)).toBe(true);
  });

  it('accepts upper-case hex', () => {
    expect(verifyWhatsAppSignature(body, sign(body).toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyWhatsAppSignature(body, sign(body, 'other'), SECRET)).toBe(false);
  });

  it('rejects a changed body', () => {
    expect(verifyWhatsAppSignature(Buffer.from(`${body.toString()} `), sign(body), SECRET)).toBe(false);
  });

  it('rejects a missing, empty, malformed or sha1 header', () => {
    for (const header of [undefined, '', 'sha256=', 'sha256=zz', sign(body).slice(0, -2), `sha1=${'a'.repeat(40)}`]) {
      expect(verifyWhatsAppSignature(body, header, SECRET)).toBe(false);
    }
  });

  it('rejects everything when the app secret is empty', () => {
    expect(verifyWhatsAppSignature(body, sign(body, ''), '')).toBe(false);
  });

  it('accepts a Hebrew body as Meta sends it: \\u-escaped, signed over those bytes', () => {
    const wire = Buffer.from('{"text":{"body":"\\u05e9\\u05dc\\u05d5\\u05dd \\ud83d\\ude4f"},"link":"https:\\/\\/x.co\\/a"}');
    expect(verifyWhatsAppSignature(wire, sign(wire), SECRET)).toBe(true);
  });

  it('accepts a raw UTF-8 Hebrew body signed over its bytes', () => {
    const utf8 = Buffer.from('{"text":{"body":"שלום 🙏"}}');
    expect(verifyWhatsAppSignature(utf8, sign(utf8), SECRET)).toBe(true);
  });

  it('accepts a raw UTF-8 Hebrew body signed over its escaped form (Meta’s documented algorithm)', () => {
    const utf8 = Buffer.from('{"text":{"body":"שלום 🙏"}}');
    const escaped = '{"text":{"body":"\\u05e9\\u05dc\\u05d5\\u05dd \\ud83d\\ude4f"}}';
    expect(verifyWhatsAppSignature(utf8, sign(escaped), SECRET)).toBe(true);
  });

  it('rejects a Hebrew body re-serialised after signing (the JSON.stringify bug)', () => {
    const wire = Buffer.from('{"text":{"body":"\\u05e9\\u05dc\\u05d5\\u05dd"},"link":"https:\\/\\/x.co"}');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(wire.toString())));
    expect(verifyWhatsAppSignature(reserialised, sign(wire), SECRET)).toBe(false);
  });
});

const PNID_A = '106540352242922';
const PNID_B = '227788990011223';

function valueFor(phoneNumberId: string, rest: object) {
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '97233760000', phone_number_id: phoneNumberId },
    ...rest,
  };
}

function notification(...changes: { field?: string; value: object }[][]) {
  return {
    object: 'whatsapp_business_account',
    entry: changes.map((entryChanges, i) => ({
      id: `WABA${i}`,
      changes: entryChanges.map((c) => ({ field: c.field ?? 'messages', value: c.value })),
    })),
  };
}

function parsedItems(body: unknown): WhatsAppWebhookItem[] {
  const result = parseWhatsAppWebhook(body);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.items;
}

describe('parseWhatsAppWebhook', () => {
  it('reads a Hebrew text message with its sender, profile name and time', () => {
    const items = parsedItems(
      notification([
        {
          value: valueFor(PNID_A, {
            contacts: [{ profile: { name: 'דנה' }, wa_id: '972547654321' }],
            messages: [{ from: '972547654321', id: 'wamid.A1', timestamp: '1760000000', type: 'text', text: { body: 'היי, מי זה?' } }],
          }),
        },
      ]),
    );

    expect(items).toEqual([
      {
        kind: 'whatsapp.message',
        eventId: 'wa:msg:wamid.A1',
        phoneNumberId: PNID_A,
        messageId: 'wamid.A1',
        from: '+972547654321',
        profileName: 'דנה',
        timestamp: '2025-10-09T08:53:20.000Z',
        type: 'text',
        text: 'היי, מי זה?',
      },
    ]);
  });

  it('walks every entry, change, message and status, keeping each business number', () => {
    const body = notification(
      [
        {
          value: valueFor(PNID_A, {
            contacts: [
              { profile: { name: 'Dana' }, wa_id: '972547654321' },
              { profile: { name: 'יוסי' }, wa_id: '972527654321' },
            ],
            messages: [
              { from: '972547654321', id: 'wamid.1', timestamp: '1760000000', type: 'text', text: { body: 'one' } },
              { from: '972527654321', id: 'wamid.2', timestamp: '1760000001', type: 'text', text: { body: 'two' } },
            ],
          }),
        },
        {
          value: valueFor(PNID_A, {
            statuses: [
              { id: 'wamid.out1', status: 'delivered', timestamp: '1760000002', recipient_id: '972547654321' },
              { id: 'wamid.out2', status: 'read', timestamp: '1760000003', recipient_id: '972527654321' },
            ],
          }),
        },
      ],
      [
        {
          value: valueFor(PNID_B, {
            messages: [{ from: '972501112233', id: 'wamid.3', timestamp: '1760000004', type: 'text', text: { body: 'three' } }],
          }),
        },
      ],
    );

    const items = parsedItems(body);

    expect(items.map((i) => i.eventId)).toEqual([
      'wa:msg:wamid.1',
      'wa:msg:wamid.2',
      'wa:status:wamid.out1:delivered',
      'wa:status:wamid.out2:read',
      'wa:msg:wamid.3',
    ]);
    expect(items.map((i) => i.phoneNumberId)).toEqual([PNID_A, PNID_A, PNID_A, PNID_A, PNID_B]);
    expect(items[1]).toMatchObject({ from: '+972527654321', profileName: 'יוסי' });
    expect(items[4]).not.toHaveProperty('profileName');
  });

  it('reads a failed status with its errors', () => {
    const items = parsedItems(
      notification([
        {
          value: valueFor(PNID_A, {
            statuses: [
              {
                id: 'wamid.out9',
                status: 'failed',
                timestamp: '1760000000',
                recipient_id: '972547654321',
                errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: '…' } }],
              },
            ],
          }),
        },
      ]),
    );

    expect(items).toEqual([
      {
        kind: 'whatsapp.status',
        eventId: 'wa:status:wamid.out9:failed',
        phoneNumberId: PNID_A,
        messageId: 'wamid.out9',
        recipient: '+972547654321',
        status: 'failed',
        timestamp: '2025-10-09T08:53:20.000Z',
        errors: [{ code: 131047, title: 'Re-engagement message', details: '…' }],
      },
    ]);
  });

  it('reads replies: interactive button, list row, template quick reply, with the quoted message', () => {
    const base = { from: '972547654321', timestamp: '1760000000', context: { from: '97233760000', id: 'wamid.ours' } };
    const items = parsedItems(
      notification([
        {
          value: valueFor(PNID_A, {
            messages: [
              {
                ...base,
                id: 'wamid.b',
                type: 'interactive',
                interactive: { type: 'button_reply', button_reply: { id: 'approve:42', title: 'אשר' } },
              },
              {
                ...base,
                id: 'wamid.l',
                type: 'interactive',
                interactive: { type: 'list_reply', list_reply: { id: 'row2', title: 'מחר', description: 'd' } },
              },
              { ...base, id: 'wamid.t', type: 'button', button: { payload: 'lead:1:call', text: 'התקשרו אליי' } },
            ],
          }),
        },
      ]),
    );

    expect(items).toMatchObject([
      { type: 'interactive', text: 'אשר', replyId: 'approve:42', contextMessageId: 'wamid.ours' },
      { type: 'interactive', text: 'מחר', replyId: 'row2', contextMessageId: 'wamid.ours' },
      { type: 'button', text: 'התקשרו אליי', replyId: 'lead:1:call', contextMessageId: 'wamid.ours' },
    ]);
  });

  it('reads media with caption, and media without one', () => {
    const items = parsedItems(
      notification([
        {
          value: valueFor(PNID_A, {
            messages: [
              {
                from: '972547654321',
                id: 'wamid.i',
                timestamp: '1760000000',
                type: 'image',
                image: { id: 'm1', mime_type: 'image/jpeg', sha256: 'x', caption: 'התמונה' },
              },
              {
                from: '972547654321',
                id: 'wamid.v',
                timestamp: '1760000000',
                type: 'audio',
                audio: { id: 'm2', mime_type: 'audio/ogg; codecs=opus', sha256: 'y', voice: true },
              },
              {
                from: '972547654321',
                id: 'wamid.d',
                timestamp: '1760000000',
                type: 'document',
                document: { id: 'm3', mime_type: 'application/pdf', filename: 'a.pdf' },
              },
            ],
          }),
        },
      ]),
    );

    expect(items).toMatchObject([
      { type: 'image', text: 'התמונה', media: { id: 'm1', mimeType: 'image/jpeg' } },
      { type: 'audio', media: { id: 'm2', mimeType: 'audio/ogg; codecs=opus' } },
      { type: 'document', media: { id: 'm3', mimeType: 'application/pdf' } },
    ]);
    expect(items[1]).not.toHaveProperty('text');
  });

  it('keeps location, reaction and unknown types with their type and no text', () => {
    const items = parsedItems(
      notification([
        {
          value: valueFor(PNID_A, {
            messages: [
              {
                from: '972547654321',
                id: 'wamid.loc',
                timestamp: '1760000000',
                type: 'location',
                location: { latitude: 32.08, longitude: 34.78 },
              },
              {
                from: '972547654321',
                id: 'wamid.r',
                timestamp: '1760000000',
                type: 'reaction',
                reaction: { message_id: 'wamid.o', emoji: '👍' },
              },
              {
                from: '972547654321',
                id: 'wamid.u',
                timestamp: '1760000000',
                type: 'unsupported',
                errors: [{ code: 131051, title: 'Message type unknown' }],
              },
              { from: '972547654321', id: 'wamid.n', timestamp: '1760000000', type: 'brand_new_type', brand_new_type: {} },
            ],
          }),
        },
      ]),
    );

    expect(items.map((i) => i.kind === 'whatsapp.message' && i.type)).toEqual(['location', 'reaction', 'unsupported', 'brand_new_type']);
    for (const item of items) expect(item).not.toHaveProperty('text');
  });

  it('skips changes of other fields but reads the messages beside them', () => {
    const items = parsedItems(
      notification([
        { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'findo_missed_call' } },
        {
          value: valueFor(PNID_A, {
            messages: [{ from: '972547654321', id: 'wamid.z', timestamp: '1760000000', type: 'text', text: { body: 'x' } }],
          }),
        },
      ]),
    );
    expect(items).toHaveLength(1);
  });

  it('skips statuses Findo does not track (played)', () => {
    const items = parsedItems(
      notification([
        {
          value: valueFor(PNID_A, {
            statuses: [{ id: 'wamid.v', status: 'played', timestamp: '1760000000', recipient_id: '972547654321' }],
          }),
        },
      ]),
    );
    expect(items).toEqual([]);
  });

  describe('refuses what it does not understand, with a reason', () => {
    const cases: [string, unknown, RegExp][] = [
      ['null', null, /not a WhatsApp notification/],
      ['a string', 'hello', /not a WhatsApp notification/],
      ['an empty object', {}, /not a WhatsApp notification/],
      ['another object', { object: 'page', entry: [] }, /unexpected object "page"/],
      ['no entries', { object: 'whatsapp_business_account', entry: [] }, /no messages, statuses or errors/],
      [
        'only a template update',
        notification([{ field: 'message_template_status_update', value: { event: 'APPROVED' } }]),
        /no messages, statuses or errors/,
      ],
      ['a messages change without metadata', notification([{ value: { messages: [] } }]), /metadata/],
      [
        'a message without id',
        notification([{ value: valueFor(PNID_A, { messages: [{ from: '972547654321', timestamp: '1', type: 'text' }] }) }]),
        /id/,
      ],
      [
        'a non-numeric timestamp',
        notification([{ value: valueFor(PNID_A, { messages: [{ from: '9725', id: 'w', timestamp: 'yesterday', type: 'text' }] }) }]),
        /Unix seconds/,
      ],
      [
        'a message with no sender: no phone and no business-scoped user id',
        notification([{ value: valueFor(PNID_A, { messages: [{ id: 'wamid.q', timestamp: '1', type: 'text', text: { body: 'x' } }] }) }]),
        /no sender/,
      ],
    ];

    it.each(cases)('%s', (_name, body, reason) => {
      const result = parseWhatsAppWebhook(body);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  });
});
