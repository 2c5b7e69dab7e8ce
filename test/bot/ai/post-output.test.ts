/** The weekly post's output check, and the built-in template that serves without Claude or when Claude's post fails it. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkPost } from '../../../bot/ai/check-output.ts';
import { ClaudeTextGenerator, writePostByRules, type PostFacts, type TextGenerationFallback } from '../../../bot/ai/index.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../../integrations/anthropic/fake-server.ts';

const facts: PostFacts = {
  businessName: 'דני אינסטלציה',
  language: 'he',
  kindsOfWork: ['נזילה במטבח', 'החלפת דוד שמש', 'נזילה במטבח'],
  goodReviews: ['שירות מהיר ומקצועי'],
  holiday: 'חנוכה',
  customerNames: ['יוסי', 'Dana', 'Levi'],
};
const check = (text: string, withheld = facts.customerNames) => checkPost(text, { language: 'he', inputs: [facts.businessName], withheld });

describe('the post check', () => {
  it('accepts a short Hebrew post', () => {
    expect(check('שבוע טוב מדני אינסטלציה! השבוע החלפנו דודי שמש.')).toEqual({
      ok: true,
      text: 'שבוע טוב מדני אינסטלציה! השבוע החלפנו דודי שמש.',
    });
  });

  it('refuses any phone number, even one the facts had', () => {
    const result = checkPost('התקשרו 052-765-4321 והגענו!', { language: 'he', inputs: ['052-765-4321'], withheld: [] });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('phone') });
  });

  it("refuses a customer's name, in any case", () => {
    expect(check('תודה ליוסי על הביקורת!')).toMatchObject({ ok: false, reason: 'customer names: יוסי' });
    expect(check('שבוע טוב! תודה ל-dana.')).toMatchObject({ ok: false });
  });

  it('refuses more than 1,500 characters, and the wrong language', () => {
    expect(check(`שבוע טוב ${'מאוד '.repeat(300)}`)).toMatchObject({ ok: false, reason: expect.stringContaining('over 1500') });
    expect(check('Have a great week from all of us!')).toMatchObject({ ok: false, reason: expect.stringContaining('expected he') });
  });
});

describe('the built-in post template', () => {
  it('greets with the business, the week’s kinds of work once each, the reviews and the holiday', () => {
    const post = writePostByRules(facts);
    expect(post).toContain('דני אינסטלציה');
    expect(post).toContain('נזילה במטבח, החלפת דוד שמש.');
    expect(post.match(/נזילה במטבח/g)).toHaveLength(1);
    expect(post).toContain('הביקורות החמות');
    expect(post).toContain('לקראת חנוכה');
    expect(check(post).ok).toBe(true);
  });

  it('leaves out a kind of work that names a customer, and still passes the check', () => {
    const post = writePostByRules({ ...facts, kindsOfWork: ['תיקון אצל יוסי'] });
    expect(post).not.toContain('יוסי');
    expect(post).not.toContain('עזרנו');
    expect(check(post).ok).toBe(true);
  });

  it('writes English and Arabic from their catalogs', () => {
    const english = writePostByRules({
      ...facts,
      language: 'en',
      businessName: 'Fix It',
      kindsOfWork: ['boiler repair'],
      holiday: 'Chanukah',
    });
    expect(english).toContain('This week we helped our customers with boiler repair.');
    expect(english).toContain('happy Chanukah');
    const arabic = writePostByRules({
      ...facts,
      language: 'ar',
      businessName: 'الأمل',
      kindsOfWork: [],
      goodReviews: [],
      holiday: undefined,
    });
    expect(arabic).toContain('الأمل');
    expect(checkPost(arabic, { language: 'ar', inputs: [], withheld: [] }).ok).toBe(true);
  });
});

describe('Claude writes the post over HTTP', () => {
  let fake: FakeAnthropic;
  let fallbacks: TextGenerationFallback[];
  let generator: ClaudeTextGenerator;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fallbacks = [];
    generator = new ClaudeTextGenerator({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 0, logger: (f) => fallbacks.push(f) });
  });

  it('sends the facts without customer names, and uses a post that passes the check', async () => {
    fake.respondWith(() => 'חנוכה שמח מדני אינסטלציה! השבוע טיפלנו בנזילות והחלפנו דודי שמש.');
    expect(await generator.writePost(facts)).toBe('חנוכה שמח מדני אינסטלציה! השבוע טיפלנו בנזילות והחלפנו דודי שמש.');
    const sent = JSON.stringify(fake.requests[0].messages);
    expect(sent).toContain('החלפת דוד שמש');
    expect(sent).not.toContain('יוסי');
    expect(fallbacks).toEqual([]);
  });

  it('falls back to the template when the post names a customer or carries a phone', async () => {
    fake.respondWith(() => 'תודה ליוסי! התקשרו 052-765-4321');
    expect(await generator.writePost(facts)).toBe(writePostByRules(facts));
    expect(fallbacks).toEqual([expect.objectContaining({ operation: 'writePost' })]);
  });
});
