/**
 * The odd but authenticated bodies of issue 14, one by one: each is stored as it came (202), or
 * refused with the reason (400/415/413); none is a 500, and none makes a job fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, type Tenant } from '../../../bot/db/models/index.ts';
import type { WebhookKeys } from '../../../bot/tenants.ts';
import { greeninvoiceDocument } from '../../../integrations/greeninvoice/fake.ts';
import { voicenterMissedCall } from '../../../integrations/voicenter/fake.ts';
import { eventually, startHarness, type Harness } from '../../support/harness.ts';

let harness: Harness;
let tenant: Tenant;
let keys: WebhookKeys;
let seq = 0;

beforeAll(async () => {
  harness = await startHarness(import.meta.filename);
  ({ tenant, webhookKeys: keys } = await harness.createTenant());
});
afterAll(async () => {
  await harness?.stop();
});

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

async function post(provider: 'voicenter' | 'greeninvoice' | 'icount', body: string, headers: Record<string, string>) {
  const response = await fetch(harness.webhookUrl(provider, keys[provider]), { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('odd but authenticated bodies', () => {
  it.each([
    ['keys with $ and . and NUL', 'voicenter', JSON.stringify({ $gt: 1, 'a.b': { 'c\u0000d': 2 }, ivruniqueid: `x${++seq}` })],
    ['a number the database cannot hold', 'greeninvoice', `{"id":"doc-${++seq}","type":320,"number":"1","total":1e400}`],
    ['a key named constructor holding an object', 'icount', JSON.stringify({ constructor: { prototype: { x: 1 } }, doctype: 'invrec' })],
  ])('%s: stored from its bytes and answered 2xx, never 500', async (_what, provider, body) => {
    const { status, json } = await post(provider as never, body, JSON_TYPE);
    expect([200, 202]).toContain(status);
    const [stored] = await EventModel.find({ tenantId: tenant.id, eventId: json.eventId as string });
    expect(stored.raw!.toString('utf8')).toBe(body);
  });

  it.each([
    [
      'a Voicenter time of 1e20',
      'voicenter',
      () => ({ ...voicenterMissedCall({ caller: '052-765-0111' }), ivruniqueid: `t${++seq}`, time: 1e20 }),
    ],
    [
      'a Voicenter duration of -1e20',
      'voicenter',
      () => ({ ...voicenterMissedCall({ caller: '052-765-0112' }), ivruniqueid: `d${++seq}`, time: 0, duration: -1e20 }),
    ],
    [
      'a Morning createdAt of 1e20',
      'greeninvoice',
      () => ({ ...greeninvoiceDocument({ recipient: { mobile: '052-765-0113' } }), createdAt: 1e20 }),
    ],
  ])('%s is accepted and processed without a failed job', async (_what, provider, body) => {
    const { status, json } = await post(provider as never, JSON.stringify(body()), JSON_TYPE);
    expect(status).toBe(200);
    await eventually(
      async () => (await EventModel.findOne({ tenantId: tenant.id, eventId: json.eventId as string }))?.status === 'processed',
      20_000,
      'processed',
    );
  });

  it('a WhatsApp timestamp of "99999999999999999999" is quarantined with the reason', async () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: '106540352242922' },
                messages: [
                  { from: '972527650114', id: `wamid.ts${++seq}`, timestamp: '99999999999999999999', type: 'text', text: { body: 'x' } },
                ],
              },
            },
          ],
        },
      ],
    };
    const signed = harness.whatsapp.signPayload(payload);
    const response = await fetch(`${harness.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { ...JSON_TYPE, 'x-hub-signature-256': signed.signature },
      body: new Uint8Array(signed.rawBody),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('out of range') });
  });

  it.each([
    ['10,000 levels of nesting', JSON_TYPE, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), 400, /nested 10000 levels deep/],
    ['charset=klingon', { 'content-type': 'application/json; charset=klingon' }, '{}', 415, /unsupported charset "klingon"/],
    ['an unknown content-encoding', { ...JSON_TYPE, 'content-encoding': 'klingon' }, '{}', 415, /content encoding/],
    ['a form with 10,000 fields', FORM_TYPE, Array.from({ length: 10_000 }, (_, i) => `f${i}=1`).join('&'), 400, /form has 10000 fields/],
    ['bytes that are not UTF-8', JSON_TYPE, '{"a":"\udc00"}', 400, /not valid UTF-8/],
  ])('%s is refused with the reason, and nothing is stored', async (_what, headers, body, expected, reason) => {
    const before = await EventModel.countDocuments({ tenantId: tenant.id });
    const bytes = body === '{"a":"\udc00"}' ? Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) : Buffer.from(body);
    const response = await fetch(harness.webhookUrl('voicenter', keys.voicenter), { method: 'POST', headers, body: new Uint8Array(bytes) });
    expect(response.status).toBe(expected);
    expect(((await response.json()) as { error: string }).error).toMatch(reason);
    expect(await EventModel.countDocuments({ tenantId: tenant.id })).toBe(before);
  });

  it('a form that carries JSON is read like the JSON itself', async () => {
    const call = { ...voicenterMissedCall({ caller: '052-765-0115' }), ivruniqueid: `f${++seq}` };
    const { status, json } = await post('voicenter', JSON.stringify(call), FORM_TYPE);
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'accepted', eventId: `vc-missed:${call.ivruniqueid}` });
  });
});
