/**
 * One photo to Google, in the `upload-photo` job: under the photo's lock and only while its status
 * is `uploading`, in Google's three steps, each step's progress stored so a retry goes on where the
 * last attempt stopped. A retry after a `media.create` whose answer was lost (a timeout, a crash)
 * first looks for the photo on the profile, so it never goes up twice. Quota and 5xx throw for the
 * job to retry (jobs/retry.ts); a refusal, or retries run out, is reported to the batch.
 */
import { recordActivity } from '../../activity.ts';
import { PhotoModel, TenantModel, type Photo, type Tenant } from '../../db/models/index.ts';
import { notConnected } from '../../google-clients.ts';
import { withLock } from '../../locks.ts';
import type { Services } from '../../services.ts';
import { isIntegrationError } from '../../../integrations/errors.ts';
import type { MediaItemJson, MediaPort, PhotoCategory } from '../../../integrations/google/media.ts';
import { uploadPhotoOptions } from '../../../jobs/catalog.ts';
import { onGoogleFailure } from '../reviews/disconnect.ts';
import type { PhotoBatchEvent } from '../../../machines/photo-batch.ts';
import { applyPhotoBatchEvent } from './batch.ts';

/** How far before `createStartedAt` a photo found on the profile may have been created (clock skew). */
const CREATE_SKEW_MS = 60_000;

export async function uploadPhoto(services: Services, tenantId: string, photoRef: string): Promise<void> {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant) return;
  await withLock(tenantId, `photo:${photoRef}`, async () => {
    const photo = await PhotoModel.findOne({ tenantId, _id: photoRef });
    if (!photo?.batchId) return;
    // Uploaded before a crash kept the batch from hearing it: tell it now (keyed, so once).
    if (photo.status === 'uploaded') return tellBatch(services, tenant, photo, { type: 'PHOTO_UPLOADED', photoId: photo.id });
    if (photo.status !== 'uploading') return;

    const attempt = (photo.upload?.attempts ?? 0) + 1;
    await PhotoModel.updateOne({ tenantId, _id: photo._id }, { $set: { 'upload.attempts': attempt } });
    let item: MediaItemJson;
    try {
      const locationName = tenant.google?.locationName;
      if (!locationName) throw notConnected(`tenant ${tenant.slug} has no Google location linked`);
      item = await sendToGoogle(await services.googleMediaFor(tenant), locationName, photo);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retriesLeft = attempt <= uploadPhotoOptions.retry.maxRetries;
      if (retriesLeft && (!isIntegrationError(error) || error.isRetryable)) {
        await PhotoModel.updateOne({ tenantId, _id: photo._id }, { $set: { failure: message } });
        throw error;
      }
      await PhotoModel.updateOne({ tenantId, _id: photo._id }, { $set: { status: 'failed', failure: message } });
      await recordActivity(tenantId, 'photo.failed', `photo not uploaded to Google: ${message}`, photo.id);
      if (isIntegrationError(error)) await onGoogleFailure(services, tenant, error);
      const notLinked = isIntegrationError(error) && (error.details.code === 'not_connected' || error.details.code === 'invalid_grant');
      return tellBatch(services, tenant, photo, {
        type: 'PHOTO_FAILED',
        photoId: photo.id,
        reason: notLinked ? 'notConnected' : 'googleRefused',
      });
    }
    await PhotoModel.updateOne(
      { tenantId, _id: photo._id },
      {
        $set: { status: 'uploaded', mediaName: item.name, googleUrl: item.googleUrl, uploadedAt: new Date() },
        $unset: { data: 1, failure: 1 },
      },
    );
    await recordActivity(
      tenantId,
      'photo.uploaded',
      `photo uploaded to Google as ${photo.category ?? 'ADDITIONAL'}: ${item.name}`,
      photo.id,
    );
    await tellBatch(services, tenant, photo, { type: 'PHOTO_UPLOADED', photoId: photo.id });
  });
}

/** Google's three steps, from where the last attempt stopped. */
async function sendToGoogle(media: MediaPort, locationName: string, photo: Photo): Promise<MediaItemJson> {
  const category = (photo.category ?? 'ADDITIONAL') as PhotoCategory;
  const update = (fields: Record<string, unknown>) => PhotoModel.updateOne({ tenantId: photo.tenantId, _id: photo._id }, { $set: fields });

  if (photo.upload?.createStartedAt) {
    const created = await findCreated(media, locationName, photo, category, photo.upload.createStartedAt);
    if (created) return created;
  }
  let resourceName = photo.upload?.resourceName;
  if (!resourceName) {
    resourceName = (await media.startUpload(locationName)).resourceName;
    await update({ 'upload.resourceName': resourceName });
  }
  if (!photo.upload?.bytesSent) {
    if (!photo.data || !photo.mimeType) throw new Error(`photo ${photo.id} has no bytes to upload`);
    await media.uploadBytes({ resourceName }, photo.data, photo.mimeType);
    await update({ 'upload.bytesSent': true });
  }
  await update({ 'upload.createStartedAt': new Date() });
  return media.createPhoto(locationName, { resourceName }, category);
}

/**
 * The photo on the profile that an earlier `media.create` made, if it did: same category and
 * dimensions, created since that attempt began, and not already another photo's.
 */
async function findCreated(
  media: MediaPort,
  locationName: string,
  photo: Photo,
  category: PhotoCategory,
  since: Date,
): Promise<MediaItemJson | undefined> {
  let pageToken: string | undefined;
  do {
    const page = await media.listMedia(locationName, pageToken);
    for (const item of page.mediaItems ?? []) {
      const createdAt = Date.parse(item.createTime ?? '');
      if (
        createdAt >= since.getTime() - CREATE_SKEW_MS &&
        item.locationAssociation?.category === category &&
        item.dimensions?.widthPixels === photo.width &&
        item.dimensions?.heightPixels === photo.height &&
        !(await PhotoModel.exists({ tenantId: photo.tenantId, mediaName: item.name }))
      ) {
        return item;
      }
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return undefined;
}

/** The upload's outcome to the photo's batch, keyed by photo so it applies once. */
function tellBatch(services: Services, tenant: Tenant, photo: Photo, event: PhotoBatchEvent): Promise<void> {
  return applyPhotoBatchEvent(services, tenant, photo.batchId!, event, `${event.type}:${photo.id}`);
}
