/**
 * Flow F4, photos, end to end: the owner sends images on WhatsApp; Findo downloads them from the
 * fake Graph with the tenant's number and token, checks them, asks once for the category of those
 * without a caption word, uploads them to the fake Google in three calls per photo, and confirms
 * once. Real server, real Agenda workers, real database, fakes over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhotoModel, TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { photoBatchOptions } from '../../bot/flows/photos/batch.ts';
import { setTenantSettings } from '../../bot/tenants.ts';
import { t } from '../../bot/texts/index.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import { uploadPhotoOptions } from '../../jobs/catalog.ts';
import { connectGoogle, wordsOf } from '../bot/flows/reviews-support.ts';
import { noisyJpeg, noisyPng } from '../support/images.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNER = '+972547654321';

describe('photos from the owner to the Google profile', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;
  let nextMedia = 7_100_000_000_000_000;

  beforeAll(async () => {
    photoBatchOptions.categoryTimeoutMs = 2_000;
    uploadPhotoOptions.retry = { delayMs: 300, maxDelayMs: 1_000, maxRetries: 5 };
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant({ ownerPhones: ['054-765-4321'] }));
    // Wide enough that images sent together stay one batch while a loaded machine processes them seconds apart.
    tenant = await setTenantSettings(tenant, ['photoBatchWindow=5s'], h.findo.services.vault);
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
  });
  afterAll(() => h?.stop());

  const webhookUrl = () => `${h.url}/webhooks/whatsapp`;
  /** Registers an image at the fake Graph (received on the tenant's number) and returns its signed webhook. */
  function ownerImage(bytes: Buffer, mimeType: string, caption?: string) {
    const id = String(nextMedia++);
    h.whatsapp.addMedia(id, bytes, mimeType, BUSINESS_NUMBER_ID);
    return h.whatsapp.signedInbound({
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      image: { id, mimeType, ...(caption ? { caption } : {}) },
    });
  }
  const toOwner = () => h.whatsapp.sent.filter((m) => m.to === OWNER).map(wordsOf);
  const confirmations = () => toOwner().filter((text) => text.includes('✅') || text.includes(t('he', 'photos.confirmed.none')));

  it('three images, one too small and one captioned צוות: two go up in the right categories, the small one is explained, one confirmation', async () => {
    const work = noisyJpeg(640, 480);
    const team = noisyPng(300, 320);
    const tiny = noisyPng(120, 120);
    const webhooks = [ownerImage(work, 'image/jpeg'), ownerImage(team, 'image/png', 'צוות'), ownerImage(tiny, 'image/png')];
    for (const webhook of webhooks) expect((await h.whatsapp.deliver(webhookUrl(), webhook)).status).toBe(200);

    // The one uncaptioned photo that passed the checks: one question for the batch.
    const question = await h.whatsapp.waitForSent(
      (m) => m.to === OWNER && wordsOf(m) === t('he', 'photos.askCategory', { count: 1 }),
      20_000,
    );
    expect(question.type).toBe('text');
    const answer = await h.whatsapp.deliverInbound(webhookUrl(), { phoneNumberId: BUSINESS_NUMBER_ID, from: OWNER, text: '3' });
    expect(answer.status).toBe(200);

    const expected = `${t('he', 'photos.confirmed.many', { count: 2 })}\n\n${t('he', 'photos.notUploaded', { list: `• ${t('he', 'photos.reason.tooSmall')}` })}`;
    await h.whatsapp.waitForSent((m) => m.to === OWNER && wordsOf(m) === expected, 20_000);

    const onGoogle = h.google.media(location.name);
    expect(onGoogle.map((m) => m.locationAssociation?.category).sort()).toEqual(['AT_WORK', 'TEAMS']);
    expect(onGoogle.find((m) => m.locationAssociation?.category === 'AT_WORK')!.bytes.equals(work)).toBe(true);
    expect(onGoogle.find((m) => m.locationAssociation?.category === 'TEAMS')!.bytes.equals(team)).toBe(true);
    const photos = await PhotoModel.find({ tenantId: tenant.id }).sort({ createdAt: 1 });
    expect(photos.map((p) => [p.status, p.rejection ?? null, p.category ?? null])).toEqual([
      ['uploaded', null, 'AT_WORK'],
      ['uploaded', null, 'TEAMS'],
      ['rejected', 'tooSmall', null],
    ]);
    // Google has the bytes: Findo keeps no copy.
    expect(photos.every((p) => !p.data)).toBe(true);
    expect(new Set(photos.filter((p) => p.mediaName).map((p) => p.mediaName))).toEqual(new Set(onGoogle.map((m) => m.name)));

    // A redelivered webhook (the same bytes) and the same media in a new delivery upload nothing again.
    expect((await h.whatsapp.deliver(webhookUrl(), webhooks[0]!)).body).toMatchObject({ status: 'duplicate' });
    const again = h.whatsapp.signedInbound({
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      image: { id: String(nextMedia - 2), mimeType: 'image/png', caption: 'צוות' },
    });
    expect(again.messageId).not.toBe(webhooks[1]!.messageId);
    expect((await h.whatsapp.deliver(webhookUrl(), again)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(h.google.media(location.name)).toHaveLength(2);
    expect(await PhotoModel.countDocuments({ tenantId: tenant.id })).toBe(3);
    expect(confirmations()).toHaveLength(1);
  }, 60_000);

  it('silence means ADDITIONAL; quota and 5xx during the upload are retried and the photo goes up once', async () => {
    const before = h.google.media(location.name).length;
    h.google.failNext({ method: 'POST', path: '/upload/v1/media/' }, { status: 503 });
    h.google.failNext({ method: 'POST', path: /\/media$/ }, { status: 429, retryAfterSeconds: 1 });
    const photo = noisyJpeg(500, 500);
    expect((await h.whatsapp.deliver(webhookUrl(), ownerImage(photo, 'image/jpeg'))).status).toBe(200);

    await h.whatsapp.waitForSent((m) => m.to === OWNER && wordsOf(m) === t('he', 'photos.confirmed.one'), 30_000);
    const added = h.google.media(location.name).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]!.locationAssociation?.category).toBe('ADDITIONAL');
    expect(added[0]!.bytes.equals(photo)).toBe(true);
    const failed = h.google.requests.filter((r) => r.status === 429 || r.status === 503);
    expect(failed.map((r) => r.status).sort()).toEqual([429, 503]);
  }, 60_000);

  it('an image Google refuses is explained in the confirmation, and not retried', async () => {
    const before = h.google.media(location.name).length;
    h.google.failNext({ method: 'POST', path: /\/media$/ }, { status: 400 });
    expect((await h.whatsapp.deliver(webhookUrl(), ownerImage(noisyJpeg(400, 400), 'image/jpeg', 'מוצר'))).status).toBe(200);
    const expected = `${t('he', 'photos.confirmed.none')}\n\n${t('he', 'photos.notUploaded', { list: `• ${t('he', 'photos.reason.googleRefused')}` })}`;
    await h.whatsapp.waitForSent((m) => m.to === OWNER && wordsOf(m) === expected, 30_000);
    expect(h.google.media(location.name)).toHaveLength(before);
    const photo = await eventually(async () => await PhotoModel.findOne({ tenantId: tenant.id, captionCategory: 'PRODUCT' }));
    expect(photo).toMatchObject({ status: 'failed', upload: { attempts: 1 } });
  }, 60_000);

  it('with no Google profile linked, the owner is told once why, for all the photos of the batch', async () => {
    await TenantModel.updateOne({ _id: tenant._id }, { $unset: { 'google.locationName': 1 } });
    try {
      const before = h.google.requests.length;
      for (const caption of ['חוץ', 'פנים']) {
        expect((await h.whatsapp.deliver(webhookUrl(), ownerImage(noisyJpeg(300, 300), 'image/jpeg', caption))).status).toBe(200);
      }
      const why = t('he', 'photos.reasonTimes', { count: 2, reason: t('he', 'photos.reason.notConnected') });
      const expected = `${t('he', 'photos.confirmed.none')}\n\n${t('he', 'photos.notUploaded', { list: `• ${why}` })}`;
      await h.whatsapp.waitForSent((m) => m.to === OWNER && wordsOf(m) === expected, 30_000);
      expect(h.google.requests.slice(before).filter((r) => r.path.includes('/media'))).toHaveLength(0);
    } finally {
      await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.locationName': location.name } });
    }
  }, 60_000);

  it('a photo sent as a file (to keep its quality) goes up too, in its caption’s category', async () => {
    const before = h.google.media(location.name).length;
    const confirmedOne = () => toOwner().filter((text) => text === t('he', 'photos.confirmed.one')).length;
    const confirmedBefore = confirmedOne();
    const bytes = noisyJpeg(800, 600);
    const id = String(nextMedia++);
    h.whatsapp.addMedia(id, bytes, 'image/jpeg', BUSINESS_NUMBER_ID);
    const delivery = await h.whatsapp.deliverInbound(webhookUrl(), {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      document: { id, mimeType: 'image/jpeg', filename: 'IMG_2041.jpg', caption: 'מוצר חדש' },
    });
    expect(delivery.status).toBe(200);
    await eventually(async () => confirmedOne() === confirmedBefore + 1, 30_000, 'the confirmation');
    expect(h.google.media(location.name)).toHaveLength(before + 1);
    const added = h.google.media(location.name).at(-1)!;
    expect(added.locationAssociation?.category).toBe('PRODUCT');
    expect(added.bytes.equals(bytes)).toBe(true);
  }, 60_000);
});
