import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postProviderWebhook } from '../../../integrations/providers.ts';
import { voicenterAnsweredCall, voicenterMissedCall } from '../../../integrations/voicenter/fake.ts';
import { VOICENTER_ACKNOWLEDGEMENT, normaliseVoicenterWebhook } from '../../../integrations/voicenter/webhook.ts';

// A receiver that parses bodies the way Findo's route does and answers as it would to Voicenter.
let server: Server;
let url: string;

beforeAll(async () => {
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.post('/webhooks/voicenter/:key', (req, res) => {
    const result = normaliseVoicenterWebhook(req.body, { contentType: req.get('content-type') ?? '', receivedAt: new Date() });
    res.json({ status: 'accepted', ...VOICENTER_ACKNOWLEDGEMENT, result });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/voicenter/tenant-key`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('Voicenter CDRs over real HTTP', () => {
  it('delivers a JSON-mode missed call and gets Voicenter’s acknowledgement back', async () => {
    const cdr = voicenterMissedCall();
    const { status, json } = await postProviderWebhook(url, cdr);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      Err: 0,
      Errdesc: 'OK',
      result: normaliseVoicenterWebhook(cdr, { contentType: '', receivedAt: new Date() }),
    });
  });

  it('delivers a form-mode missed call (UTF-8 Hebrew, IVR as JSON text) that normalises like the JSON one', async () => {
    const cdr = voicenterMissedCall({ queuename: 'שירות לקוחות — ערב', caller: '+972 54 765 4321' });
    const viaForm = await postProviderWebhook(url, cdr, { form: true });
    const viaJson = await postProviderWebhook(url, cdr);
    expect(viaForm.status).toBe(200);
    expect(viaForm.json).toMatchObject({ result: { ok: true, event: { kind: 'call.missed', callerPhone: '+972547654321' } } });
    expect((viaForm.json as { result: unknown }).result).toEqual((viaJson.json as { result: unknown }).result);
  });

  it('delivers an answered call that is ignored', async () => {
    const { json } = await postProviderWebhook(url, voicenterAnsweredCall(), { form: true });
    expect(json).toMatchObject({ result: { ok: true, event: { kind: 'ignored', reason: 'answered call' } } });
  });
});
