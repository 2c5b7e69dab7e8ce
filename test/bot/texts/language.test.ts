import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../bot/language.ts';

describe('detectLanguage', () => {
  it('tells Hebrew, Arabic and English apart by script', () => {
    expect(detectLanguage('שירות מעולה, ממליץ בחום')).toBe('he');
    expect(detectLanguage('خدمة ممتازة، أنصح بها')).toBe('ar');
    expect(detectLanguage('Great service, highly recommended')).toBe('en');
  });

  it('goes by the script with the most letters', () => {
    expect(detectLanguage('הזמנתי מ-Pizza Roma והיה טעים מאוד')).toBe('he');
    expect(detectLanguage('Ordered from פיצה and it was great, thanks a lot')).toBe('en');
  });

  it('returns null when there are no letters', () => {
    expect(detectLanguage('👍👍 5/5')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });
});
