import { describe, expect, it } from 'vitest';
import { detectConversationIntent, normalizeForMatch, parseApprovalReply, parseOwnerCommand } from '../../bot/intents.ts';

describe('normalizeForMatch', () => {
  it('removes niqqud, harakat, punctuation, emoji, direction marks and case', () => {
    expect(normalizeForMatch('  מִי   זֶה?!  ')).toBe('מי זה');
    expect(normalizeForMatch('\u200fמי זה 🤔')).toBe('מי זה');
    expect(normalizeForMatch('WHO is THIS???')).toBe('who is this');
    expect(normalizeForMatch('مَنْ أَنْتَ؟')).toBe('من انت');
    expect(normalizeForMatch("who's this")).toBe('whos this');
  });

  it('folds Arabic-Indic digits and keycap emoji to plain digits', () => {
    expect(normalizeForMatch('١')).toBe('1');
    expect(normalizeForMatch('1️⃣')).toBe('1');
  });
});

describe('detectConversationIntent', () => {
  it.each([
    'מי זה?',
    'מי זה',
    'מי אתם',
    'מִי זֶה',
    'who is this',
    'Who are you?',
    "who's this?",
    'مين',
    'من أنت',
    'من انت؟',
    'היי, מי זה?',
    'hi who is this',
  ])('"%s" asks who we are', (text) => {
    expect(detectConversationIntent(text)).toBe('who_is_this');
  });

  it.each(['נציג', 'נציג אנושי', 'בן אדם', 'human', 'Agent', 'representative', 'ممثل', 'נציג בבקשה', 'Talk to a human!'])(
    '"%s" asks for a person',
    (text) => {
      expect(detectConversationIntent(text)).toBe('human');
    },
  );

  it.each(["who is this guy's price", 'מי זה שמתקן דודים?', 'agent orange', 'דנה', '', 'מחר בבוקר', 'שלום'])('"%s" is neither', (text) => {
    expect(detectConversationIntent(text)).toBe('none');
  });
});

describe('parseApprovalReply', () => {
  it.each(['1', 'אשר', 'approve', 'أوافق', 'אשר!', ' 1. ', '1️⃣', '١', 'Approve please'])('"%s" approves', (text) => {
    expect(parseApprovalReply(text)).toEqual({ action: 'approve' });
  });

  it.each(['2', 'דלג', 'skip', 'تخطي', 'SKIP', 'דלג.'])('"%s" skips', (text) => {
    expect(parseApprovalReply(text)).toEqual({ action: 'skip' });
  });

  it('a leading draft number, with or without #, picks the draft', () => {
    expect(parseApprovalReply('#3 אשר')).toEqual({ action: 'approve', number: 3 });
    expect(parseApprovalReply('3 אשר')).toEqual({ action: 'approve', number: 3 });
    expect(parseApprovalReply('#12 skip')).toEqual({ action: 'skip', number: 12 });
    expect(parseApprovalReply('3 1')).toEqual({ action: 'approve', number: 3 });
    expect(parseApprovalReply('1 2')).toEqual({ action: 'skip', number: 1 });
  });

  it('a word action may be followed by the draft number', () => {
    expect(parseApprovalReply('אשר 3')).toEqual({ action: 'approve', number: 3 });
    expect(parseApprovalReply('skip #2')).toEqual({ action: 'skip', number: 2 });
  });

  it('any other text is the reply to post, as written', () => {
    expect(parseApprovalReply('  תודה רבה, נשמח לראותך שוב!  ')).toEqual({
      action: 'text',
      text: 'תודה רבה, נשמח לראותך שוב!',
    });
    expect(parseApprovalReply('אשר את זה בבקשה עם תיקון')).toEqual({
      action: 'text',
      text: 'אשר את זה בבקשה עם תיקון',
    });
    // Starting with a number is not picking a draft unless it has #.
    expect(parseApprovalReply('3 days later it broke again, sorry')).toEqual({
      action: 'text',
      text: '3 days later it broke again, sorry',
    });
    expect(parseApprovalReply('0 אשר')).toEqual({ action: 'text', text: '0 אשר' });
  });

  it('#N before a text posts that text on draft N', () => {
    expect(parseApprovalReply('#2 מצטערים, נחזור אליך היום')).toEqual({
      action: 'text',
      number: 2,
      text: 'מצטערים, נחזור אליך היום',
    });
    expect(parseApprovalReply('#4')).toEqual({ action: 'text', number: 4, text: '' });
  });
});

describe('parseOwnerCommand', () => {
  it.each([
    ['עזרה', 'help'],
    ['help', 'help'],
    ['/help', 'help'],
    ['مساعدة', 'help'],
    ['מְסַפֵּר', null],
    ['לידים', 'leads'],
    ['Leads', 'leads'],
    ['סטטיסטיקה', 'stats'],
    ['stats', 'stats'],
    ['השהה', 'pause'],
    ['pause', 'pause'],
    ['ביקורות', 'reviews'],
    ['reviews', 'reviews'],
    ['מה חדש?', 'today'],
    ["what's new", 'today'],
    ['ما الجديد', 'today'],
    ['הגדרות', 'settings'],
    ['إعدادات', 'settings'],
    ['גוגל', 'google'],
    ['Google', 'google'],
    ['جوجل', 'google'],
    ['גוגל מפות', null],
    ['פוסט', 'post'],
    ['Post', 'post'],
    ['منشور', 'post'],
    ['פוסט על חנוכה', null],
    ['המשך', 'resume'],
    ['resume!', 'resume'],
  ] as const)('"%s" → %s', (text, command) => {
    expect(parseOwnerCommand(text)).toBe(command);
  });

  it.each(['עזרה עם הדוד', 'help me with the boiler', 'leads from last week please', '1', 'אשר', ''])('"%s" is not a command', (text) => {
    expect(parseOwnerCommand(text)).toBeNull();
  });
});
