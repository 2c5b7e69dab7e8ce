import { describe, expect, it } from 'vitest';
import { OPT_IN_WORDS, OPT_OUT_WORDS, parseConsentKeyword } from '../../../bot/outbound/consent.ts';

const RLM = '\u200F';
const LRM = '\u200E';
const ZWJ = '\u200D';

describe('parseConsentKeyword', () => {
  it.each(['STOP', 'stop', 'Stop', 'הסר', 'הסירו', 'ביטול', 'توقف', 'unsubscribe', 'UNSUBSCRIBE', 'הסרה'])(
    'reads %j alone as an opt-out',
    (text) => {
      expect(parseConsentKeyword(text)).toBe('opt_out');
    },
  );

  it.each(['START', 'start', 'התחל', 'ابدأ'])('reads %j alone as an opt-in', (text) => {
    expect(parseConsentKeyword(text)).toBe('opt_in');
  });

  it.each([
    ['surrounding spaces and newlines', '  STOP \n'],
    ['punctuation', 'stop!!!'],
    ['quotes and a full stop', '"הסר".'],
    ['an emoji', 'הסר 🙏'],
    ['an emoji with a variation selector', '✋️ stop'],
    ['right-to-left marks', `${RLM}הסר${RLM}`],
    ['a left-to-right mark', `${LRM}STOP`],
    ['niqqud', 'הָסֵר'],
    ['Arabic harakat and tatweel', 'تـوَقّـف'],
    ['full-width Latin letters', 'ＳＴＯＰ'],
    ['a joiner inside the word', `ST${ZWJ}OP`],
  ])('still matches with %s', (_, text) => {
    expect(parseConsentKeyword(text)).toBe('opt_out');
  });

  it.each([
    'stop the bill',
    'please stop',
    'STOP STOP',
    'ביטול הזמנה',
    'ביטול התור',
    'הסר אותי מהרשימה',
    'stopp',
    'stopped',
    'התחלה',
    'start over',
    'מי זה?',
    '',
    '   ',
    '🙏',
  ])('does not read %j as a keyword', (text) => {
    expect(parseConsentKeyword(text)).toBeNull();
  });

  it('matches every listed word exactly as written', () => {
    for (const word of OPT_OUT_WORDS) expect(parseConsentKeyword(word)).toBe('opt_out');
    for (const word of OPT_IN_WORDS) expect(parseConsentKeyword(word)).toBe('opt_in');
  });
});
