import { describe, expect, it } from 'vitest';
import { checkLeadDetail, checkOwnerSummary, checkReviewReply, inventedContactDetails } from '../../../bot/ai/check-output.ts';

describe('output checks', () => {
  it('allow a phone number the input had, in any format, and flag new ones', () => {
    expect(inventedContactDetails('נחזור אליך ל-052-765-4321', ['הטלפון שלי 0527654321'])).toEqual([]);
    expect(inventedContactDetails('התקשרו אלינו: 03-555-1234', ['שירות מעולה'])).toEqual(['03-555-1234']);
  });

  it('flag links and e-mail addresses that the input did not have', () => {
    expect(inventedContactDetails('Visit www.fixit.co.il or mail us at info@fixit.co.il.', ['Great!'])).toEqual([
      'www.fixit.co.il',
      'info@fixit.co.il',
    ]);
    expect(inventedContactDetails('See fixit.com.', ['I found them on fixit.com'])).toEqual([]);
  });

  it('do not take times, prices or star counts for phone numbers', () => {
    expect(inventedContactDetails('Open 9:00-17:00, 5 stars, ₪250', [''])).toEqual([]);
  });

  it('reject a review reply that is empty, too long or in the wrong language', () => {
    const options = { language: 'he' as const, inputs: [] };
    expect(checkReviewReply('  ', options)).toEqual({ ok: false, reason: 'empty text' });
    expect(checkReviewReply('תודה רבה! '.repeat(300), options)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/bytes, over 4096/),
    });
    expect(checkReviewReply('Thank you!', options)).toEqual({ ok: false, reason: 'written in en, expected he' });
    expect(checkReviewReply(' תודה רבה! ', options)).toEqual({ ok: true, text: 'תודה רבה!' });
  });

  it('reject an owner summary over 300 characters', () => {
    expect(checkOwnerSummary('ליד '.repeat(100), { language: 'he', inputs: [] })).toMatchObject({ ok: false });
  });

  it('reject a lead detail on several lines', () => {
    expect(checkLeadDetail('מחר\nבבוקר', { field: 'preferredTime', maxChars: 100, message: 'מחר\nבבוקר' })).toMatchObject({ ok: false });
  });
});
