/** Location photos over the fake Google's HTTP: the three-call upload, the list, and errors in Google's shapes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationError } from '../../../integrations/errors.ts';
import { createGoogleClient } from '../../../integrations/google/client.ts';
import { startFakeGoogle, type FakeGoogle } from '../../../integrations/google/fake-server.ts';
import { googleMedia, type MediaPort } from '../../../integrations/google/media.ts';
import { memoryTokenStore } from '../../../integrations/google/tokens.ts';
import { noisyJpeg, noisyPng } from '../../support/images.ts';
import { connectOwner, oauthConfig } from './support.ts';

let fake: FakeGoogle;
let media: MediaPort;
let location: string;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e as IntegrationError,
  );

beforeEach(async () => {
  fake = await startFakeGoogle();
  location = fake.addLocation(fake.addAccount().name).name;
  const tokens = memoryTokenStore(await connectOwner(fake));
  media = googleMedia(createGoogleClient({ ...oauthConfig(fake), apiUrl: fake.url, tokens }));
});
afterEach(() => fake.close());

async function upload(bytes: Buffer, mimeType: string, category: 'TEAMS' | 'AT_WORK' = 'TEAMS') {
  const ref = await media.startUpload(location);
  await media.uploadBytes(ref, bytes, mimeType);
  return media.createPhoto(location, ref, category);
}

describe('location photos', () => {
  it('uploads bytes in three calls and lists the photo with its category', async () => {
    const bytes = noisyJpeg(400, 300);
    const item = await upload(bytes, 'image/jpeg', 'AT_WORK');

    expect(item).toMatchObject({
      name: expect.stringMatching(new RegExp(`^${location}/media/`)),
      mediaFormat: 'PHOTO',
      locationAssociation: { category: 'AT_WORK' },
      dimensions: { widthPixels: 400, heightPixels: 300 },
    });
    expect(fake.media(location)).toHaveLength(1);
    expect(fake.media(location)[0]!.bytes.equals(bytes)).toBe(true);
    const listed = await media.listMedia(location);
    expect(listed.totalMediaItemCount).toBe(1);
    expect(listed.mediaItems?.map((m) => m.name)).toEqual([item.name]);
    const apiCalls = fake.requests.filter((r) => r.path.startsWith('/v4/') || r.path.startsWith('/upload/'));
    expect(apiCalls.map((r) => `${r.method} ${r.path.replace(/AF1Qip[\w-]+/, '…')} ${r.status}`)).toEqual([
      `POST /v4/${location}/media:startUpload 200`,
      'POST /upload/v1/media/… 200',
      `POST /v4/${location}/media 200`,
      `GET /v4/${location}/media 200`,
    ]);
  });

  it('an upload reference makes one photo only', async () => {
    const ref = await media.startUpload(location);
    await media.uploadBytes(ref, noisyPng(300, 300), 'image/png');
    await media.createPhoto(location, ref, 'TEAMS');
    const again = await failureOf(media.createPhoto(location, ref, 'TEAMS'));
    expect(again).toMatchObject({ kind: 'permanent', details: { code: 'INVALID_ARGUMENT' } });
    expect(fake.media(location)).toHaveLength(1);
  });

  it("refuses a photo below Google's rules as a permanent INVALID_ARGUMENT", async () => {
    const error = await failureOf(upload(noisyPng(120, 400), 'image/png'));
    expect(error).toMatchObject({ kind: 'permanent', details: { code: 'INVALID_ARGUMENT' } });
    expect(error.message).toContain('250 px');
    expect(fake.media(location)).toHaveLength(0);
  });

  it('quota is rate_limited with the wait Google asks for, and 5xx transient', async () => {
    fake.failNext({ method: 'POST', path: /\/media$/ }, { status: 429, retryAfterSeconds: 7 });
    const quota = await failureOf(upload(noisyJpeg(300, 300), 'image/jpeg'));
    expect(quota).toMatchObject({ kind: 'rate_limited', details: { code: 'RESOURCE_EXHAUSTED', retryAfterMs: 7000 } });

    fake.failNext({ path: '/upload/v1/media/' }, { status: 503 });
    expect(await failureOf(upload(noisyJpeg(300, 300), 'image/jpeg'))).toMatchObject({
      kind: 'transient',
      details: { code: 'UNAVAILABLE' },
    });
    expect(fake.media(location)).toHaveLength(0);
  });

  it('refuses a name that is not a location without calling Google', async () => {
    const error = await failureOf(media.listMedia('locations/1'));
    expect(error).toMatchObject({ kind: 'permanent', details: { code: 'invalid_name' } });
    expect(fake.requests.filter((r) => r.path.includes('media'))).toHaveLength(0);
  });
});
