import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stripIsolates } from '../../../bot/texts/bidi.ts';
import {
  ClaudeTextGenerator,
  createTextGenerator,
  DEFAULT_MODEL,
  RuleBasedTextGenerator,
  type TextGenerationFallback,
} from '../../../bot/ai/index.ts';
import { anthropicError, startFakeAnthropic, type FakeAnthropic } from '../../../integrations/anthropic/fake-server.ts';

let fake: FakeAnthropic;
let fallbacks: TextGenerationFallback[];
let generator: ClaudeTextGenerator;

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fallbacks = [];
  generator = new ClaudeTextGenerator({
    apiKey: 'sk-ant-test',
    baseURL: fake.url,
    maxRetries: 2,
    logger: (fallback) => fallbacks.push(fallback),
  });
});

const hebrewMessage = 'אני דני, צריך תיקון לדוד שמש, אפשר מחר אחרי 4';
const review = { reviewerName: 'Dan Cohen', stars: 5, comment: 'Fixed our boiler in an hour, great service', businessName: 'Fix It' };

describe('Claude text generator over HTTP', () => {
  it('uses the JSON Claude returns for lead details, sending the message and the configured model', async () => {
    fake.respondWith(() => '```json\n{"name":"דני","need":"תיקון דוד שמש","preferredTime":"מחר אחרי 16:00","extra":1}\n```');
    const details = await generator.extractLeadDetails(hebrewMessage, { language: 'he', expecting: 'any' });
    expect(details).toEqual({ name: 'דני', need: 'תיקון דוד שמש', preferredTime: 'מחר אחרי 16:00' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].model).toBe(DEFAULT_MODEL);
    expect(JSON.stringify(fake.requests[0].messages)).toContain('תיקון לדוד שמש');
    expect(fallbacks).toEqual([]);
  });

  it('drops null fields from the JSON', async () => {
    fake.respondWith(() => '{"name":"רונית","need":null,"preferredTime":null}');
    expect(await generator.extractLeadDetails('שמי רונית', { language: 'he', expecting: 'name' })).toEqual({ name: 'רונית' });
  });

  it('falls back to the rules on malformed output, and says why', async () => {
    fake.respondWith(() => 'Sure! The name is Dani and he needs a boiler fix.');
    const details = await generator.extractLeadDetails(hebrewMessage, { language: 'he', expecting: 'any' });
    expect(details).toEqual({ name: 'דני', need: 'תיקון לדוד שמש', preferredTime: 'מחר אחרי 4' });
    expect(fallbacks).toMatchObject([{ operation: 'extractLeadDetails', reason: 'no JSON object in the answer' }]);
  });

  it('rejects a name the customer never wrote', async () => {
    fake.respondWith(() => '{"name":"דניאל לוי","need":"תיקון דוד שמש","preferredTime":"מחר"}');
    const details = await generator.extractLeadDetails(hebrewMessage, { language: 'he', expecting: 'any' });
    expect(details.name).toBe('דני');
    expect(fallbacks[0].reason).toBe('name: not in the message');
  });

  it('writes a review reply in the reviewer’s language', async () => {
    fake.respondWith(() => 'Thank you, Dan! We’re glad the boiler is working again. The Fix It team');
    expect(await generator.writeReviewReply(review)).toEqual({
      language: 'en',
      text: 'Thank you, Dan! We’re glad the boiler is working again. The Fix It team',
    });
    expect(fake.requests[0].messages[0].content).not.toContain('Cohen');
  });

  it('rejects a reply with an invented phone number or link, and uses the catalog reply', async () => {
    for (const invented of ['Call us on 052-765-4321 anytime!', 'Book again at https://fixit.example.com/offer']) {
      fake.respondWith(() => `Thank you, Dan! ${invented} The Fix It team`);
      const reply = await generator.writeReviewReply(review);
      expect(reply.text).toMatch(/^Thank you so much, Dan, for the kind words!/);
    }
    expect(fallbacks.map((fallback) => fallback.reason)).toEqual([
      'contact details not in the input: 052-765-4321',
      'contact details not in the input: https://fixit.example.com/offer',
    ]);
  });

  it('rejects a reply that reveals the reviewer’s surname', async () => {
    fake.respondWith(() => 'Thank you, Dan Cohen! See you soon. The Fix It team');
    await generator.writeReviewReply(review);
    expect(fallbacks[0].reason).toBe('private details: Cohen');
  });

  it('rejects a reply in the wrong language', async () => {
    fake.respondWith(() => 'תודה רבה דני! שמחים שהדוד עובד. צוות Fix It');
    const reply = await generator.writeReviewReply(review);
    expect(reply.language).toBe('en');
    expect(reply.text).toContain('Thank you so much, Dan');
    expect(fallbacks[0].reason).toBe('written in he, expected en');
  });

  it('retries a rate limit and then uses the answer', async () => {
    let calls = 0;
    fake.respondWith(() => (++calls === 1 ? anthropicError(429) : 'Thank you, Dan! Glad we could help. The Fix It team'));
    const reply = await generator.writeReviewReply(review);
    expect(reply.text).toBe('Thank you, Dan! Glad we could help. The Fix It team');
    expect(fake.requests).toHaveLength(2);
    expect(fallbacks).toEqual([]);
  });

  it('falls back when the API keeps failing, after the SDK’s retries', async () => {
    fake.respondWith(() => anthropicError(529));
    const quick = new ClaudeTextGenerator({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, logger: (f) => fallbacks.push(f) });
    const summary = await quick.summariseLead({ name: 'דני', need: 'תיקון דוד', preferredTime: 'מחר', phone: '+972527654321' }, 'he');
    expect(stripIsolates(summary)).toBe('דני · תיקון דוד · זמן נוח: מחר');
    expect(fallbacks[0].reason).toBe('Anthropic API error 529 overloaded_error');
  });

  it('summarises a lead on one checked line, without sending the phone', async () => {
    fake.respondWith(() => 'דני צריך תיקון לדוד השמש, נוח לו מחר אחרי 4');
    const summary = await generator.summariseLead(
      { name: 'דני', need: 'תיקון לדוד שמש', preferredTime: 'מחר אחרי 4', phone: '+972527654321' },
      'he',
    );
    expect(summary).toBe('דני צריך תיקון לדוד השמש, נוח לו מחר אחרי 4');
    expect(JSON.stringify(fake.requests[0])).not.toContain('527654321');
  });

  it('rejects a summary of several lines', async () => {
    fake.respondWith(() => 'ליד חדש:\nדני, תיקון דוד');
    await generator.summariseLead({ name: 'דני', need: 'תיקון דוד', phone: '+972527654321' }, 'he');
    expect(fallbacks[0].reason).toBe('more than one line');
  });
});

describe('createTextGenerator', () => {
  it('uses the rules without an API key', () => {
    expect(createTextGenerator({})).toBeInstanceOf(RuleBasedTextGenerator);
    expect(createTextGenerator({ apiKey: '  ' })).toBeInstanceOf(RuleBasedTextGenerator);
  });

  it('uses Claude with a key and the configured model', async () => {
    fake.respondWith(() => '{"name":"Dan"}');
    const claude = createTextGenerator({ apiKey: 'sk-ant-test', baseURL: fake.url, model: 'claude-sonnet-4-6' });
    expect(await claude.extractLeadDetails('Dan', { language: 'en', expecting: 'name' })).toEqual({ name: 'Dan' });
    expect(fake.requests[0].model).toBe('claude-sonnet-4-6');
  });
});

describe('fake Anthropic server', () => {
  it('answers with the real message shape and refuses requests without a key', async () => {
    fake.respondWith(() => 'hello');
    const request = (headers: Record<string, string>) =>
      fetch(`${fake.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
      });
    const ok = await request({ 'x-api-key': 'k' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [{ type: 'text', text: 'hello' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
    const refused = await request({});
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } });
  });
});
