/**
 * Crashes inside the photo upload (issue 15): the job worker is a separate process, killed
 * (SIGKILL) while one photo's bytes are on their way to Google and another photo's `media.create`
 * has been carried out by Google but its answer never came back. Started again, the worker uploads
 * each photo exactly once within 30 s: the first goes on from its stored upload reference, the
 * second is found on the profile instead of being created again; the owner gets one confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhotoModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings } from '../../bot/tenants.ts';
import { t } from '../../bot/texts/index.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import { connectGoogle, wordsOf } from '../bot/flows/reviews-support.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { noisyJpeg, noisyPng } from '../support/images.ts';
import { startFindoProcess, type FindoProcess } from '../support/processes.ts';

const OWNER = '+972547654321';

describe('a worker killed inside a photo upload', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;
  let worker: FindoProcess | undefined;

  const startWorker = () => startFindoProcess('worker', h.env);

  beforeAll(async () => {
    // This process serves HTTP only; jobs and webhook events run in the child worker.
    h = await startHarness(import.meta.filename, { role: 'web' });
    ({ tenant } = await h.createTenant({ ownerPhones: [OWNER] }));
    // Wide enough that images sent together stay one batch while a loaded machine processes them seconds apart.
    tenant = await setTenantSettings(tenant, ['photoBatchWindow=5s'], h.findo.services.vault);
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.kill();
    await h?.stop();
  });

  it('each photo goes up exactly once within 30 s of the restart, with one confirmation', async () => {
    h.google.failNext({ method: 'POST', path: '/upload/v1/media/' }, { status: 503, hang: true });
    h.google.failNext({ method: 'POST', path: /\/media$/ }, { status: 503, hang: true, afterHandling: true });
    const images = [
      { id: '7200000000000001', bytes: noisyJpeg(600, 400), mimeType: 'image/jpeg', caption: 'עבודה' },
      { id: '7200000000000002', bytes: noisyPng(320, 300), mimeType: 'image/png', caption: 'צוות' },
    ];
    for (const image of images) {
      h.whatsapp.addMedia(image.id, image.bytes, image.mimeType, BUSINESS_NUMBER_ID);
      const delivery = await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
        phoneNumberId: BUSINESS_NUMBER_ID,
        from: OWNER,
        image: { id: image.id, mimeType: image.mimeType, caption: image.caption },
      });
      expect(delivery.status).toBe(200);
    }

    // Both uploads are stuck at Google: one mid-bytes, one created but unanswered. Kill the worker now.
    await eventually(
      async () => {
        const photos = await PhotoModel.find({ tenantId: tenant.id, status: 'uploading' });
        const midBytes = photos.some((p) => p.upload?.resourceName && !p.upload.bytesSent);
        const midCreate = photos.some((p) => p.upload?.createStartedAt);
        return midBytes && midCreate && h.google.media(location.name).length === 1;
      },
      30_000,
      'both uploads in flight',
    );
    await worker!.kill();

    const restarted = Date.now();
    worker = await startWorker();
    const confirmation = t('he', 'photos.confirmed.many', { count: 2 });
    await h.whatsapp.waitForSent((m) => m.to === OWNER && wordsOf(m) === confirmation, 30_000);
    const tookMs = Date.now() - restarted;
    // Nothing more arrives: each photo once, one confirmation.
    await new Promise((r) => setTimeout(r, 2_000));
    const onGoogle = h.google.media(location.name);
    console.log(
      `photo upload, worker killed inside it: both photos up and confirmed ${tookMs} ms after the restart; ${onGoogle.length} on Google`,
    );
    expect(onGoogle).toHaveLength(2);
    expect(onGoogle.map((m) => m.locationAssociation?.category).sort()).toEqual(['AT_WORK', 'TEAMS']);
    for (const image of images) expect(onGoogle.filter((m) => m.bytes.equals(image.bytes))).toHaveLength(1);
    const photos = await PhotoModel.find({ tenantId: tenant.id });
    expect(new Set(photos.map((p) => p.mediaName))).toEqual(new Set(onGoogle.map((m) => m.name)));
    expect(h.whatsapp.sent.filter((m) => m.to === OWNER && wordsOf(m) === confirmation)).toHaveLength(1);
    expect(tookMs).toBeLessThan(30_000);
  }, 120_000);
});
