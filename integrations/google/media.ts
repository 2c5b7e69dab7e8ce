/**
 * Location photos on Google Business Profile (v4 `accounts.locations.media`, which googleapis does
 * not wrap): the three-call upload from bytes (`media:startUpload`, the bytes to
 * `/upload/v1/media/{resourceName}`, then `media.create` with the `dataRef` and a category) and
 * `media.list`. Errors leave as IntegrationErrors through the client (./errors.ts).
 * https://developers.google.com/my-business/content/upload-photos
 */
import { IntegrationError } from '../errors.ts';
import type { GoogleClient } from './client.ts';

/** `locationAssociation.category` values Findo sets (COVER, PROFILE and LOGO stay the owner's). */
export const PHOTO_CATEGORIES = ['EXTERIOR', 'INTERIOR', 'PRODUCT', 'AT_WORK', 'TEAMS', 'ADDITIONAL'] as const;
export type PhotoCategory = (typeof PHOTO_CATEGORIES)[number];

/** `MediaItem` as Google returns it (the fields Findo reads). */
export interface MediaItemJson {
  name: string;
  mediaFormat: 'PHOTO' | 'VIDEO' | 'MEDIA_FORMAT_UNSPECIFIED';
  locationAssociation?: { category?: string; priceListItemId?: string };
  googleUrl?: string;
  thumbnailUrl?: string;
  createTime?: string;
  dimensions?: { widthPixels?: number; heightPixels?: number };
  sourceUrl?: string;
  dataRef?: { resourceName: string };
}

/** The answer of `GET …/media`. */
export interface ListMediaItemsJson {
  mediaItems?: MediaItemJson[];
  totalMediaItemCount?: number;
  nextPageToken?: string;
}

/** A reference to uploaded bytes, valid for one `media.create`. */
export interface MediaDataRef {
  resourceName: string;
}

/** What the photo upload needs from Google. */
export interface MediaPort {
  /** Step 1: a place for the bytes. @param locationName `accounts/{a}/locations/{l}` */
  startUpload(locationName: string): Promise<MediaDataRef>;
  /** Step 2: the bytes themselves. */
  uploadBytes(ref: MediaDataRef, bytes: Buffer, mimeType: string): Promise<void>;
  /** Step 3: the photo on the profile, in a category. */
  createPhoto(locationName: string, ref: MediaDataRef, category: PhotoCategory): Promise<MediaItemJson>;
  /** One page of the location's media. */
  listMedia(locationName: string, pageToken?: string): Promise<ListMediaItemsJson>;
}

const LOCATION_NAME = /^accounts\/[^/?#]+\/locations\/[^/?#]+$/;

/** The media calls over a tenant's Google client. */
export function googleMedia(client: Pick<GoogleClient, 'request'>): MediaPort {
  return {
    startUpload: async (locationName) =>
      client.request<MediaDataRef>(`startUpload ${requireLocation(locationName)}`, `v4/${locationName}/media:startUpload`, {
        method: 'POST',
        data: {},
      }),
    async uploadBytes(ref, bytes, mimeType) {
      // The resource name goes in as-is: Google's path template allows its slashes.
      const path = `upload/v1/media/${ref.resourceName.split('/').map(encodeURIComponent).join('/')}`;
      await client.request(`uploadBytes ${ref.resourceName}`, path, {
        method: 'POST',
        params: { upload_type: 'media' },
        headers: { 'Content-Type': mimeType },
        data: bytes,
      });
    },
    createPhoto: async (locationName, ref, category) =>
      client.request<MediaItemJson>(`createMedia ${requireLocation(locationName)}`, `v4/${locationName}/media`, {
        method: 'POST',
        data: { mediaFormat: 'PHOTO', locationAssociation: { category }, dataRef: { resourceName: ref.resourceName } },
      }),
    listMedia: async (locationName, pageToken) =>
      client.request<ListMediaItemsJson>(`listMedia ${requireLocation(locationName)}`, `v4/${locationName}/media`, {
        params: { pageSize: 100, ...(pageToken ? { pageToken } : {}) },
      }),
  };
}

function requireLocation(name: string): string {
  if (!LOCATION_NAME.test(name)) {
    throw new IntegrationError(`not a Google location name: ${JSON.stringify(name)}`, 'permanent', {
      provider: 'google',
      code: 'invalid_name',
    });
  }
  return name;
}
