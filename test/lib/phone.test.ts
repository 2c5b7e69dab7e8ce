/** Phone numbers: every Israeli form to E.164, which lines WhatsApp reaches, and finding a phone in raw data. */
import { describe, expect, it } from 'vitest';
import { formatNational, isWhatsAppReachable, mentionsPhone, phoneKind, toE164 } from '../../lib/phone.ts';

describe('toE164', () => {
  it.each([
    ['052-765-4321', '+972527654321'],
    ['0527654321', '+972527654321'],
    ['+972 52-765-4321', '+972527654321'],
    ['+972527654321', '+972527654321'],
    ['03-123-4567', '+97231234567'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s → %s', (raw, e164) => expect(toE164(raw)).toBe(e164));

  it.each(['', 'yossi', '12345', '*3456', 'anonymous'])('"%s" is not a phone number', (raw) => expect(toE164(raw)).toBeNull());
});

describe('which lines WhatsApp reaches', () => {
  it('reaches Israeli mobiles and foreign numbers, not Israeli landlines', () => {
    expect(phoneKind('+972527654321')).toBe('mobile');
    expect(phoneKind('+97231234567')).toBe('landline');
    expect(isWhatsAppReachable('+972527654321')).toBe(true);
    expect(isWhatsAppReachable('+97231234567')).toBe(false);
    expect(isWhatsAppReachable('+447700900123')).toBe(true);
  });

  it('writes Israeli numbers as people do at home', () => {
    expect(formatNational('+972527654321')).toBe('052-765-4321');
  });
});

describe('mentionsPhone', () => {
  const phone = '+972527654321';

  it.each([
    [{ caller: '052-765-4321' }],
    [{ client: { phones: ['0527654321'] } }],
    [{ caller: '972527654321' }],
    [{ caller: 972527654321 }],
    [{ from: '+972 52-765-4321' }],
  ])('finds the phone in %j', (data) => expect(mentionsPhone(data, phone)).toBe(true));

  it.each([
    [{ caller: '052-765-4322' }],
    [{ caller: '054-765-4321' }],
    // The digits are there, but split across fields: no field holds the phone.
    [{ a: '0527', b: '654321' }],
    [null],
    ['nothing here'],
  ])('does not find it in %j', (data) => expect(mentionsPhone(data, phone)).toBe(false));
});
