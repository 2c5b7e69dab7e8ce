/**
 * Real test images of any size: PNG (pngjs) and JPEG (jpeg-js) filled with noise, so they do not
 * compress below Google's 10 KB floor unless they are truly small.
 */
import { randomBytes } from 'node:crypto';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A PNG of `width`×`height` random pixels. */
export function noisyPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  randomBytes(width * height * 4).copy(png.data);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return PNG.sync.write(png);
}

/** A JPEG of `width`×`height` random pixels. */
export function noisyJpeg(width: number, height: number, quality = 80): Buffer {
  const data = randomBytes(width * height * 4);
  return jpeg.encode({ data, width, height }, quality).data;
}

/** A PNG of `width`×`height` in one grey: a real image of that size that compresses to almost nothing. */
export function flatPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(0x80);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return PNG.sync.write(png);
}
