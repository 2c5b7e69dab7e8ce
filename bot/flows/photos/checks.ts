/**
 * Google's rules for a location photo, checked before anything is uploaded: JPEG or PNG,
 * 10 KB–5 MB, at least 250 px on each side. The type and size are read from the bytes by
 * image-size (what WhatsApp calls the file is not trusted).
 */
import { imageSize } from 'image-size';
import type { PhotoRejection } from '../../../machines/photo-batch.ts';

export const PHOTO_RULES = {
  minBytes: 10 * 1024,
  maxBytes: 5 * 1024 * 1024,
  minEdgePx: 250,
} as const;

const MIME_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png' };

/** What the check found: the image's facts, or why it cannot go up. */
export type PhotoCheck = { ok: true; mimeType: string; width: number; height: number } | { ok: false; rejection: PhotoRejection };

export function checkPhoto(bytes: Buffer): PhotoCheck {
  let size: { type?: string; width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    return { ok: false, rejection: 'unreadable' };
  }
  const mimeType = size.type ? MIME_TYPES[size.type] : undefined;
  if (!mimeType) return { ok: false, rejection: 'format' };
  if (bytes.length < PHOTO_RULES.minBytes) return { ok: false, rejection: 'fileTooSmall' };
  if (bytes.length > PHOTO_RULES.maxBytes) return { ok: false, rejection: 'fileTooLarge' };
  const { width = 0, height = 0 } = size;
  if (Math.min(width, height) < PHOTO_RULES.minEdgePx) return { ok: false, rejection: 'tooSmall' };
  return { ok: true, mimeType, width, height };
}
