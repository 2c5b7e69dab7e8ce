import { describe, expect, it } from 'vitest';
import { stripIsolates } from '../../../bot/texts/bidi.ts';
import type { ExpectedLeadDetail } from '../../../bot/ai/text-generator.ts';
import { extractLeadDetailsByRules, RuleBasedTextGenerator, summariseLeadByRules, writeReviewReplyByRules } from '../../../bot/ai/rules.ts';

const read = (text: string, expecting: ExpectedLeadDetail = 'any') => extractLeadDetailsByRules(text, { language: 'he', expecting });

describe('rules: lead details in Hebrew', () => {
  it('reads name, need and time from one free-text message', () => {
    expect(read('אני דני, צריך תיקון לדוד שמש, אפשר מחר אחרי 4')).toEqual({
      name: 'דני',
      need: 'תיקון לדוד שמש',
      preferredTime: 'מחר אחרי 4',
    });
  });

  it('reads the ways people give their name', () => {
    expect(read('קוראים לי משה כהן')).toEqual({ name: 'משה כהן' });
    expect(read('שמי רונית')).toEqual({ name: 'רונית' });
    expect(read('היי, זה יוסי')).toEqual({ name: 'יוסי' });
    expect(read('שמי רונית מרמת גן')).toEqual({ name: 'רונית' });
  });

  it('takes a bare word as the name only when a name was asked for', () => {
    expect(read('דני', 'name')).toEqual({ name: 'דני' });
    expect(read('דני')).toEqual({});
  });

  it('does not take a question or a request for a human as a name', () => {
    expect(read('מי זה?', 'name')).toEqual({});
    expect(read('נציג', 'name')).toEqual({});
  });

  it('does not mistake words after "זה" in the middle of a sentence for a name', () => {
    expect(read('צריך לתקן את המזגן כי זה רועש').name).toBeUndefined();
  });

  it('reads needs after the usual verbs', () => {
    expect(read('בוקר טוב, אני צריך הצעת מחיר לשיפוץ אמבטיה')).toEqual({ need: 'הצעת מחיר לשיפוץ אמבטיה' });
    expect(read('יש לי נזילה במטבח')).toEqual({ need: 'נזילה במטבח' });
    expect(read('בקשר לתיקון מקרר')).toEqual({ need: 'תיקון מקרר' });
    expect(read('קוראים לי משה כהן ואני צריך להחליף ברז ביום שלישי בבוקר')).toEqual({
      name: 'משה כהן',
      need: 'להחליף ברז',
      preferredTime: 'ביום שלישי בבוקר',
    });
  });

  it('takes a bare answer as the need when the need was asked for', () => {
    expect(read('תיקון מזגן', 'need')).toEqual({ need: 'תיקון מזגן' });
  });

  it('reads time words: days, parts of the day, hours, dates, urgency', () => {
    expect(read('היום בערב', 'time')).toEqual({ preferredTime: 'היום בערב' });
    expect(read('לפני 10 בבוקר')).toEqual({ preferredTime: 'לפני 10 בבוקר' });
    expect(read('אחרי 17:00')).toEqual({ preferredTime: 'אחרי 17:00' });
    expect(read('ב-5')).toEqual({ preferredTime: 'ב-5' });
    expect(read('ביום ראשון 12/5 בין 10 ל-12')).toEqual({ preferredTime: 'ביום ראשון 12/5 בין 10 ל-12' });
    expect(read('בסביבות 3 בצהריים')).toEqual({ preferredTime: 'בסביבות 3 בצהריים' });
    expect(read('יש לי נזילה, דחוף')).toEqual({ need: 'נזילה', preferredTime: 'דחוף' });
    expect(read('בשעות הבוקר')).toEqual({ preferredTime: 'בשעות הבוקר' });
  });

  it('takes any answer as the time when the time was asked for', () => {
    expect(read('מתי שנוח לכם', 'time')).toEqual({ preferredTime: 'מתי שנוח לכם' });
    expect(read('4', 'time')).toEqual({ preferredTime: '4' });
  });

  it('treats a lone number as a quantity, not a time, when no time was asked for', () => {
    expect(read('צריך 2 מזגנים').preferredTime).toBeUndefined();
  });
});

describe('rules: lead details in English and Arabic', () => {
  it('reads English', () => {
    expect(read("I'm Dan, need a plumber tomorrow morning")).toEqual({
      name: 'Dan',
      need: 'a plumber',
      preferredTime: 'tomorrow morning',
    });
    expect(read('My name is Sarah Levi, looking for a cleaner next week')).toEqual({
      name: 'Sarah Levi',
      need: 'a cleaner',
      preferredTime: 'next week',
    });
    expect(read('tomorrow after 5pm please', 'time')).toEqual({ preferredTime: 'tomorrow after 5pm' });
    expect(read('Dan', 'name')).toEqual({ name: 'Dan' });
  });

  it('reads Arabic', () => {
    expect(read('مرحبا، أنا أحمد، بدي أصلّح المكيف، بكرا الصبح')).toEqual({
      name: 'أحمد',
      need: 'أصلّح المكيف',
      preferredTime: 'بكرا الصبح',
    });
    expect(read('اسمي محمد وبدي موعد بعد الساعة 5')).toEqual({ name: 'محمد', need: 'موعد', preferredTime: 'بعد الساعة 5' });
  });
});

describe('rules: texts for the owner and for reviews', () => {
  it('summarises a lead on one line, marking what is missing', () => {
    const summary = stripIsolates(summariseLeadByRules({ name: 'דני', need: 'תיקון דוד', phone: '+972527654321' }, 'he'));
    expect(summary).toBe('דני · תיקון דוד · זמן נוח: —');
    expect(summary).not.toContain('527654321');
  });

  it('answers a review in the reviewer’s language, by stars', () => {
    const english = writeReviewReplyByRules({ reviewerName: 'Dan Cohen', stars: 5, comment: 'Great job!', businessName: 'Fix It' });
    expect(english).toEqual({ language: 'en', text: expect.stringContaining('Thank you so much, Dan,') });
    expect(english.text).not.toContain('Cohen');

    const hebrew = writeReviewReplyByRules({ reviewerName: 'רונית', stars: 2, comment: 'איחרו בשעתיים', businessName: 'אינסטלציה בע״מ' });
    expect(hebrew.language).toBe('he');
    expect(stripIsolates(hebrew.text)).toContain('צר לנו מאוד');

    const arabic = writeReviewReplyByRules({ reviewerName: 'أحمد', stars: 3, comment: 'خدمة جيدة لكن بطيئة', businessName: 'X' });
    expect(arabic.language).toBe('ar');
  });

  it('uses the default language for a rating without words, and copes with no name', () => {
    const reply = writeReviewReplyByRules({ reviewerName: '', stars: 5, businessName: 'Fix It', defaultLanguage: 'en' });
    expect(reply.language).toBe('en');
    expect(reply.text).toMatch(/^Thank you so much, for the kind words!/);
  });

  it('is a TextGenerator', async () => {
    const generator = new RuleBasedTextGenerator();
    expect(await generator.extractLeadDetails('שמי רונית', { language: 'he', expecting: 'any' })).toEqual({ name: 'רונית' });
  });
});
