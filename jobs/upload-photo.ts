/**
 * upload-photo: one owner photo to the Google profile. One pending run per photo, and the handler
 * uploads only while the photo is `uploading`, under its lock (bot/flows/photos/upload.ts). Quota
 * (429) waits as long as Google asks, 5xx and network errors back off (`uploadPhotoOptions` in the
 * catalog); a refusal, or the last retry, is reported to the owner in the batch's confirmation.
 */
import { uploadPhoto } from '../bot/flows/photos/upload.ts';
import { defineJob } from './define.ts';

export const uploadPhotoJob = defineJob('upload-photo', async ({ tenantId, photoRef }, services) => {
  await uploadPhoto(services, tenantId, photoRef);
});
