/**
 * The location-media part of the fake Google (./fake-server.ts mounts it): `media:startUpload`,
 * the byte upload to `/upload/v1/media/{resourceName}`, `media.create` from a `dataRef` and
 * `media.list`, with Google's rules for location photos (category required, ≥ 10,240 bytes,
 * ≥ 250 px on the short edge) answered as 400 INVALID_ARGUMENT, and each upload reference good for
 * one photo.
 */
import { imageSize } from 'image-size';
import type { ListMediaItemsJson, MediaItemJson } from './media.ts';

/** What the fake server lends the media routes. */
export interface FakeMediaDeps {
  hasLocation(locationName: string): boolean;
  timestamp(): string;
  opaque(prefix: string): string;
}

/** A route's refusal, in the fake server's error form. */
export interface FakeMediaError {
  status: 400 | 404;
  message?: string;
}

/** A photo the fake holds, with the bytes it was made from. */
export interface FakeStoredMedia extends MediaItemJson {
  bytes: Buffer;
}

export interface FakeMedia {
  /** Answers a media request, or returns `undefined` when the path is not a media route. Throws a {@link FakeMediaError}. */
  route(method: string, path: string, query: URLSearchParams, body: Buffer): unknown;
  /** The location's photos, oldest first. */
  items(locationName: string): FakeStoredMedia[];
}

const CATEGORIES = new Set([
  'COVER',
  'PROFILE',
  'LOGO',
  'EXTERIOR',
  'INTERIOR',
  'PRODUCT',
  'AT_WORK',
  'FOOD_AND_DRINK',
  'MENU',
  'COMMON_AREA',
  'ROOMS',
  'TEAMS',
  'ADDITIONAL',
]);
const MIN_BYTES = 10_240;
const MIN_EDGE_PX = 250;

const invalid = (message: string): FakeMediaError => ({ status: 400, message: `Request contains an invalid argument. (${message})` });

export function createFakeMedia(deps: FakeMediaDeps): FakeMedia {
  const byLocation = new Map<string, FakeStoredMedia[]>();
  /** Upload references: the location that asked, the bytes once uploaded, and whether a photo used them. */
  const refs = new Map<string, { locationName: string; bytes?: Buffer; used: boolean }>();

  function startUpload(locationName: string) {
    const resourceName = deps.opaque('AF1QipM');
    refs.set(resourceName, { locationName, used: false });
    return { resourceName };
  }

  function upload(resourceName: string, query: URLSearchParams, body: Buffer) {
    const ref = refs.get(resourceName);
    if (!ref) throw { status: 404 } satisfies FakeMediaError;
    if (query.get('upload_type') !== 'media') throw invalid('upload_type must be media');
    ref.bytes = body;
    return { resourceName };
  }

  function create(locationName: string, body: Buffer): MediaItemJson {
    let item: Partial<MediaItemJson>;
    try {
      item = JSON.parse(body.toString('utf8')) as Partial<MediaItemJson>;
    } catch {
      throw { status: 400, message: 'Invalid JSON payload received.' } satisfies FakeMediaError;
    }
    if (item.mediaFormat !== 'PHOTO') throw invalid('mediaFormat must be PHOTO or VIDEO');
    const category = item.locationAssociation?.category;
    if (!category || !CATEGORIES.has(category)) throw invalid('locationAssociation.category is required');
    if (!item.dataRef === !item.sourceUrl) throw invalid('exactly one of sourceUrl and dataRef');
    if (!item.dataRef) throw invalid('the fake takes photos by dataRef only');
    const ref = refs.get(item.dataRef.resourceName);
    if (!ref || ref.locationName !== locationName || !ref.bytes || ref.used) throw invalid('dataRef.resourceName is not an unused upload');
    const dimensions = photoDimensions(ref.bytes);
    ref.used = true;
    const mediaKey = deps.opaque('AF1Qip');
    const stored: FakeStoredMedia = {
      name: `${locationName}/media/${mediaKey}`,
      mediaFormat: 'PHOTO',
      locationAssociation: { category },
      googleUrl: `https://lh3.googleusercontent.com/p/${mediaKey}`,
      thumbnailUrl: `https://lh3.googleusercontent.com/p/${mediaKey}=s250`,
      createTime: deps.timestamp(),
      dimensions,
      bytes: ref.bytes,
    };
    const list = byLocation.get(locationName) ?? [];
    list.push(stored);
    byLocation.set(locationName, list);
    return withoutBytes(stored);
  }

  function list(locationName: string, query: URLSearchParams): ListMediaItemsJson {
    const all = byLocation.get(locationName) ?? [];
    const pageSize = Math.min(Number(query.get('pageSize') ?? 100) || 100, 2500);
    const offset = Number(query.get('pageToken') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw invalid('pageToken');
    const page = all.slice(offset, offset + pageSize).map(withoutBytes);
    const next = offset + pageSize < all.length ? String(offset + pageSize) : undefined;
    return { ...(page.length ? { mediaItems: page } : {}), totalMediaItemCount: all.length, ...(next ? { nextPageToken: next } : {}) };
  }

  return {
    route(method, path, query, body) {
      const uploadOf = /^\/upload\/v1\/media\/(.+)$/.exec(path);
      if (method === 'POST' && uploadOf) return upload(decodeURIComponent(uploadOf[1]!), query, body);
      const mediaOf = /^\/v4\/(accounts\/[^/]+\/locations\/[^/]+)\/media(:startUpload)?$/.exec(path);
      if (!mediaOf) return undefined;
      const locationName = mediaOf[1]!;
      if (!deps.hasLocation(locationName)) throw { status: 404 } satisfies FakeMediaError;
      if (method === 'POST' && mediaOf[2]) return startUpload(locationName);
      if (method === 'POST') return create(locationName, body);
      if (method === 'GET' && !mediaOf[2]) return list(locationName, query);
      return undefined;
    },
    items: (locationName) => [...(byLocation.get(locationName) ?? [])],
  };
}

/** Google's size rules for a location photo, read from the bytes. */
function photoDimensions(bytes: Buffer): { widthPixels: number; heightPixels: number } {
  if (bytes.length < MIN_BYTES) throw invalid(`photo must be at least ${MIN_BYTES} bytes`);
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw invalid('PHOTO_UPLOAD_FAILED: not an image');
  }
  const { width = 0, height = 0 } = size;
  if (Math.min(width, height) < MIN_EDGE_PX) throw invalid(`photo must be at least ${MIN_EDGE_PX} px on the short edge`);
  return { widthPixels: width, heightPixels: height };
}

function withoutBytes(stored: FakeStoredMedia): MediaItemJson {
  const { bytes: _bytes, ...item } = stored;
  return item;
}
