/**
 * Terminal bubbles: Hebrew put in display order (a terminal draws left to right what it is given),
 * mixed with numbers, Latin names in isolates, brackets and emoji; wrapped in reading order;
 * right-to-left paragraphs right-aligned.
 */
import { describe, expect, it } from 'vitest';
import { bubble, visualLines } from '../../../admin-cli/try/bubbles.ts';
import { isolate, isolateLtr } from '../../../bot/texts/bidi.ts';

describe('visualLines', () => {
  it('draws a Hebrew paragraph from its right end, and an English one as it is', () => {
    expect(visualLines('שלום עולם', 80)).toEqual([{ text: 'םלוע םולש', rtl: true }]);
    expect(visualLines('hello world', 80)).toEqual([{ text: 'hello world', rtl: false }]);
  });

  it('keeps numbers and Latin names left to right inside Hebrew, and drops the isolate marks', () => {
    expect(visualLines(`טלפון: ${isolateLtr('052-765-9876')}`, 80)[0].text).toBe('052-765-9876 :ןופלט');
    expect(visualLines(`תודה, ${isolate('Dani')}!`, 80)[0].text).toBe('!Dani ,הדות');
  });

  it('mirrors brackets in right-to-left text', () => {
    expect(visualLines('דחוף (היום)', 80)[0].text).toBe('(םויה) ףוחד');
  });

  it('takes an emoji for a neutral: a Hebrew line that starts with one is still right to left', () => {
    expect(visualLines('🔔 עדכון חדש:', 80)).toEqual([{ text: ':שדח ןוכדע 🔔', rtl: true }]);
    expect(visualLines('שלום 👋', 80)[0].text).toBe('👋 םולש');
  });

  it('wraps in reading order, at spaces, each line reordered on its own', () => {
    expect(visualLines('אחת שתיים שלוש ארבע', 9)).toEqual([
      { text: 'םייתש תחא', rtl: true },
      { text: 'עברא שולש', rtl: true },
    ]);
    expect(visualLines('one two three', 7).map((l) => l.text)).toEqual(['one two', 'three']);
  });

  it('keeps paragraphs apart, each with its own direction', () => {
    expect(visualLines('שלום\nhello', 80)).toEqual([
      { text: 'םולש', rtl: true },
      { text: 'hello', rtl: false },
    ]);
  });
});

describe('bubble', () => {
  it('right-aligns right-to-left lines and left-aligns the others inside one frame', () => {
    expect(bubble('שלום\nשלום עולם\nhi', { columns: 40, side: 'left' })).toEqual([
      '╭───────────╮',
      '│      םולש │',
      '│ םלוע םולש │',
      '│ hi        │',
      '╰───────────╯',
    ]);
  });

  it('sits against the right edge on the right side, footer under its right corner', () => {
    const lines = bubble('שלום', { columns: 20, side: 'right', footer: '10:00' });
    expect(lines).toEqual(['           ╭──────╮', '           │ םולש │', '           ╰──────╯', '              10:00']);
  });
});
