import { describe, expect, it } from 'vitest';
import { stripIsolates } from '../../../bot/texts/bidi.ts';
import {
  LANGUAGES,
  MissingTextVariableError,
  TEMPLATE_PARAMETERS,
  TEXT_KEYS,
  placeholdersOf,
  rawText,
  t,
  templateBody,
  templateParameters,
  type TemplateKey,
} from '../../../bot/texts/index.ts';

const sorted = (values: string[]) => [...values].sort();
const templateKeys = Object.keys(TEMPLATE_PARAMETERS) as TemplateKey[];
const buttonKeys = TEXT_KEYS.filter((key) => key.startsWith('owner.button.'));

describe('text catalogs', () => {
  it('every language has every key, with non-empty text', () => {
    for (const language of LANGUAGES) {
      for (const key of TEXT_KEYS) expect(rawText(language, key)?.trim(), `${language} ${key}`).toBeTruthy();
    }
  });

  it('every language uses the same placeholders for a key as Hebrew', () => {
    for (const key of TEXT_KEYS) {
      const hebrew = sorted(placeholdersOf('he', key));
      for (const language of LANGUAGES) expect(sorted(placeholdersOf(language, key)), `${language} ${key}`).toEqual(hebrew);
    }
  });

  it('button titles fit WhatsApp’s 20-character limit', () => {
    expect(buttonKeys).toHaveLength(4);
    for (const language of LANGUAGES) {
      for (const key of buttonKeys) expect([...rawText(language, key)].length, `${language} ${key}`).toBeLessThanOrEqual(20);
    }
  });

  it('Hebrew and Arabic isolate phone numbers and keep links alone on their line', () => {
    for (const language of ['he', 'ar'] as const) {
      for (const key of TEXT_KEYS) {
        const text = rawText(language, key);
        if (text.includes('{phone}')) expect(text, `${language} ${key}`).toContain('\u2066{phone}\u2069');
        for (const line of text.split('\n')) if (line.includes('{link}')) expect(line).toBe('{link}');
      }
    }
  });
});

describe('t', () => {
  it('fills placeholders', () => {
    expect(stripIsolates(t('he', 'lead.askNeed', { name: 'דני' }))).toBe('נעים מאוד, דני! במה אפשר לעזור? אפשר לתאר בכמה מילים.');
    expect(t('en', 'owner.stats', { leads: 3, requests: 5, reviews: 2, replies: 1 })).toContain('New leads: 3');
  });

  it('does not fill placeholders that appear inside a value', () => {
    expect(t('en', 'lead.askNeed', { name: '{name}' })).toContain('Nice to meet you, {name}!');
  });

  it('throws on a missing variable, naming it', () => {
    const call = () => t('en', 'lead.thanks', { name: 'Dan' } as never);
    expect(call).toThrow(MissingTextVariableError);
    expect(call).toThrow(/"business"/);
  });

  it('needs no variables for a text without placeholders', () => {
    expect(t('he', 'lead.askName')).toBe('כדי שנוכל לחזור אליך, איך קוראים לך?');
  });
});

describe('WhatsApp templates', () => {
  it('list exactly the placeholders of each template body', () => {
    for (const key of templateKeys) expect(sorted([...TEMPLATE_PARAMETERS[key]])).toEqual(sorted(placeholdersOf('he', key)));
  });

  it('number the parameters in the declared order', () => {
    const body = templateBody('en', 'template.reviewRequest');
    expect(body).toContain('Hi {{1}}, this is {{2}}.');
    expect(body).toContain('\n{{3}}\n');
    expect(templateParameters('template.reviewRequest', { link: 'https://g.page/r/x', business: 'Fix It', name: 'Dan' })).toEqual([
      'Dan',
      'Fix It',
      'https://g.page/r/x',
    ]);
  });

  it('never start or end with a parameter, which Meta rejects', () => {
    for (const language of LANGUAGES) {
      for (const key of templateKeys) {
        const body = stripIsolates(templateBody(language, key)).trim();
        expect(body.startsWith('{{'), `${language} ${key}`).toBe(false);
        expect(body.endsWith('}}'), `${language} ${key}`).toBe(false);
      }
    }
  });
});
