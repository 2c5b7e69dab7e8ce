import { describe, expect, it } from 'vitest';
import { parseConsentKeyword } from '../../bot/outbound/consent.ts';
import { TEMPLATES, renderTemplatesForMetaManager, templateBodyParams, type TemplateName } from '../../bot/templates.ts';
import { templateBody, type Language } from '../../bot/texts/index.ts';

const NAMES = Object.keys(TEMPLATES) as TemplateName[];
const bodyForMeta = (name: TemplateName, language: Language) => templateBody(language, TEMPLATES[name].bodyKey);
const VARIABLE = /\{\{(\d+)\}\}/g;
const INVISIBLE_EDGES = /^[\s\u2066-\u2069]+|[\s\u2066-\u2069]+$/g;

describe('TEMPLATES', () => {
  it('lists exactly the templates the spec names', () => {
    expect(NAMES.sort()).toEqual([
      'findo_missed_call',
      'findo_owner_alert',
      'findo_owner_welcome',
      'findo_review_reminder',
      'findo_review_request',
    ]);
  });

  it('offers every template in Hebrew, English and Arabic', () => {
    for (const name of NAMES) expect([...TEMPLATES[name].languages].sort()).toEqual(['ar', 'en', 'he']);
  });

  it('orders the body parameters as the send will pass them', () => {
    expect(TEMPLATES.findo_missed_call.parameters).toEqual(['business']);
    expect(TEMPLATES.findo_review_request.parameters).toEqual(['name', 'business', 'link']);
    expect(TEMPLATES.findo_review_reminder.parameters).toEqual(['business', 'link']);
    expect(TEMPLATES.findo_owner_alert.parameters).toEqual(['text']);
    expect(TEMPLATES.findo_owner_welcome.parameters).toEqual(['business']);
    expect(TEMPLATES.findo_owner_welcome.category).toBe('UTILITY');
  });

  it('gives every template a category and a reason for it', () => {
    for (const name of NAMES) {
      expect(['UTILITY', 'MARKETING']).toContain(TEMPLATES[name].category);
      expect(TEMPLATES[name].categoryReason.length).toBeGreaterThan(20);
    }
  });

  it('gives customer templates an opt-out quick reply whose title is itself an opt-out word', () => {
    for (const name of ['findo_missed_call', 'findo_review_request', 'findo_review_reminder'] as const) {
      const optOut = TEMPLATES[name].buttons.find((button) => button.payload === 'opt_out');
      expect(optOut, name).toBeDefined();
      for (const language of TEMPLATES[name].languages) expect(parseConsentKeyword(optOut!.title[language])).toBe('opt_out');
    }
  });

  it('keeps button titles within Meta’s 20 characters', () => {
    for (const name of NAMES) {
      for (const button of TEMPLATES[name].buttons) {
        for (const title of Object.values(button.title)) expect(title.length).toBeLessThanOrEqual(20);
      }
    }
  });
});

describe('template bodies as submitted to Meta', () => {
  it('numbers the named variables in parameter order', () => {
    expect(bodyForMeta('findo_review_request', 'en')).toMatch(/^Hi \{\{1\}\}, this is \{\{2\}\}\.\n.*\n\{\{3\}\}\n/);
  });

  it.each(NAMES)('%s: uses each variable, in order, with no gaps, in every language', (name) => {
    for (const language of TEMPLATES[name].languages) {
      const numbers = [...bodyForMeta(name, language).matchAll(VARIABLE)].map((match) => Number(match[1]));
      const firstUses = [...new Set(numbers)];
      expect(firstUses, language).toEqual(TEMPLATES[name].parameters.map((_, index) => index + 1));
    }
  });

  it.each(NAMES)('%s: obeys Meta’s creation rules (no variable at either end, body ≤ 1024)', (name) => {
    for (const language of TEMPLATES[name].languages) {
      const body = bodyForMeta(name, language);
      const visible = body.replace(INVISIBLE_EDGES, '');
      expect(visible, language).not.toMatch(/^\{\{\d+\}\}/);
      expect(visible, language).not.toMatch(/\{\{\d+\}\}$/);
      expect(body.length, language).toBeLessThanOrEqual(1024);
    }
  });
});

describe('templateBodyParams', () => {
  it('returns the values in {{n}} order', () => {
    expect(
      templateBodyParams('findo_review_request', {
        link: 'https://g.page/r/abc/review',
        business: 'מספרת דנה',
        name: 'יוסי',
      }),
    ).toEqual(['יוסי', 'מספרת דנה', 'https://g.page/r/abc/review']);
    expect(templateBodyParams('findo_missed_call', { business: 'Dana Hair Studio' })).toEqual(['Dana Hair Studio']);
  });

  it('flattens line breaks, tabs and long runs of spaces, which Meta refuses in parameters', () => {
    const text = 'ליד חדש: יוסי\n\nמה צריך:\tתספורת     קצרה\r\nטלפון: 052-123-4567\n';
    expect(templateBodyParams('findo_owner_alert', { text })).toEqual(['ליד חדש: יוסי · מה צריך: תספורת קצרה · טלפון: 052-123-4567']);
  });

  it('turns numbers into text', () => {
    expect(templateBodyParams('findo_owner_alert', { text: 42 })).toEqual(['42']);
  });

  it('refuses a missing or blank value, naming it', () => {
    expect(() => templateBodyParams('findo_review_request', { name: ' ', business: 'X', link: 'https://x' })).toThrow(
      /findo_review_request needs a non-empty value for "name"/,
    );
    expect(() => templateBodyParams('findo_review_reminder', { business: 'X' } as unknown as { business: string; link: string })).toThrow(
      /"link"/,
    );
  });
});

describe('renderTemplatesForMetaManager', () => {
  const output = renderTemplatesForMetaManager();

  it('writes each template with its name, category, languages and variable type', () => {
    for (const name of NAMES) {
      expect(output).toContain(`Name: ${name}\nCategory: ${TEMPLATES[name].category}\n`);
    }
    expect(output).toContain('Languages: he, en, ar');
    expect(output).toContain('Variable type: Number');
  });

  it('writes each language’s body with numbered variables, a sample for each variable and the buttons', () => {
    expect(output).toContain('[en] English\nBody:\n  Hi, this is {{1}} 👋\n');
    expect(output).toContain('  {{1}} (name): יוסי\n  {{2}} (business): מספרת דנה\n  {{3}} (link): https://');
    expect(output).toContain('Buttons:\n  Quick reply: STOP');
    expect(output).toContain('Buttons: none');
    expect(output).not.toMatch(/\{[a-z]+\}/);
  });
});
