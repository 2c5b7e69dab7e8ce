/** Google's photo rules on real images made with pngjs and jpeg-js, and the caption and answer words. */
import { describe, expect, it } from 'vitest';
import { checkPhoto, PHOTO_RULES } from '../../../../bot/flows/photos/checks.ts';
import { parseCategoryChoice, parsePhotoCategory } from '../../../../bot/intents.ts';
import { flatPng, noisyJpeg, noisyPng } from '../../../support/images.ts';

describe('the photo checks', () => {
  it('takes a JPEG and a PNG within the rules, with their real type and size', () => {
    expect(checkPhoto(noisyJpeg(640, 480))).toEqual({ ok: true, mimeType: 'image/jpeg', width: 640, height: 480 });
    expect(checkPhoto(noisyPng(250, 250))).toEqual({ ok: true, mimeType: 'image/png', width: 250, height: 250 });
  });

  it('refuses a side under 250 px, even when the file is big enough', () => {
    const narrow = noisyPng(249, 600);
    expect(narrow.length).toBeGreaterThan(PHOTO_RULES.minBytes);
    expect(checkPhoto(narrow)).toEqual({ ok: false, rejection: 'tooSmall' });
  });

  it('refuses a file over 5 MB', () => {
    const huge = noisyPng(1400, 1400);
    expect(huge.length).toBeGreaterThan(PHOTO_RULES.maxBytes);
    expect(checkPhoto(huge)).toEqual({ ok: false, rejection: 'fileTooLarge' });
  });

  it('a 300×300 PNG of one colour is under 10 KB: too light a file, though the image is large enough', () => {
    const flat = flatPng(300, 300);
    expect(flat.length).toBeLessThan(PHOTO_RULES.minBytes);
    expect(checkPhoto(flat)).toEqual({ ok: false, rejection: 'fileTooSmall' });
  });

  it('refuses what Google does not take (GIF) and what is no image at all', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x2c, 0x01, 0x2c, 0x01]), Buffer.alloc(20_000)]);
    expect(checkPhoto(gif)).toEqual({ ok: false, rejection: 'format' });
    expect(checkPhoto(Buffer.from('<html>not an image</html>'.repeat(1000)))).toEqual({ ok: false, rejection: 'unreadable' });
  });
});

describe('photo category words', () => {
  it('a caption word names the category, in Hebrew, English or Arabic', () => {
    expect(parsePhotoCategory('צוות')).toBe('TEAMS');
    expect(parsePhotoCategory('הצוות שלנו בעבודה')).toBe('AT_WORK');
    expect(parsePhotoCategory('החזית החדשה: חוץ')).toBe('EXTERIOR');
    expect(parsePhotoCategory('Our new product!')).toBe('PRODUCT');
    expect(parsePhotoCategory('داخل المحل')).toBe('INTERIOR');
    expect(parsePhotoCategory('סוף יום ארוך')).toBeNull();
  });

  it('the answer to the question: a number from the list, the word, or "other"', () => {
    expect(parseCategoryChoice('1')).toBe('EXTERIOR');
    expect(parseCategoryChoice('٤')).toBe('TEAMS');
    expect(parseCategoryChoice('6')).toBe('ADDITIONAL');
    expect(parseCategoryChoice('מוצר')).toBe('PRODUCT');
    expect(parseCategoryChoice('אחר')).toBe('ADDITIONAL');
    expect(parseCategoryChoice('7')).toBeNull();
    expect(parseCategoryChoice('עזרה')).toBeNull();
  });
});
