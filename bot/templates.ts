/**
 * The WhatsApp message templates Findo needs (§6), in one place: category, languages, body text
 * and the order of its parameters (both owned by the text catalogs), sample values and buttons.
 * The sender builds template sends from it; `findo templates` prints it for Meta's template manager.
 *
 * Template language codes are Findo's own language codes (`he`, `en`, `ar`), as Meta spells them.
 */
import { LANGUAGES, TEMPLATE_PARAMETERS, templateBody, type Language, type TemplateKey, type TextPlaceholder } from './texts/index.ts';

/**
 * Meta's template category. Meta has the last word: since April 2025 a template submitted as
 * UTILITY but judged promotional is approved as MARKETING, and approved templates are re-checked,
 * so the sender must read the category back from the API rather than trust this value.
 */
export type TemplateCategory = 'UTILITY' | 'MARKETING';

/** A quick-reply button: its title per language, and the payload the sender attaches to it. */
export interface QuickReplyButton {
  type: 'QUICK_REPLY';
  /** Sent with the template and echoed in the inbound `button.payload`, whatever the language. */
  payload: string;
  /** At most 20 characters (Meta). */
  title: Readonly<Record<Language, string>>;
}

/** One template as Findo submits it to Meta. */
export interface TemplateDefinition<K extends TemplateKey = TemplateKey> {
  category: TemplateCategory;
  /** Why this category, for whoever submits the template and for the next reviewer of this file. */
  categoryReason: string;
  languages: readonly Language[];
  /** The catalog text that is the template body. */
  bodyKey: K;
  /** The body's named variables in `{{1}}`, `{{2}}`… order (the catalog's `TEMPLATE_PARAMETERS`). */
  parameters: readonly TextPlaceholder<K>[];
  /** Sample values Meta asks for, per language. */
  examples: Readonly<Record<Language, Readonly<Record<TextPlaceholder<K>, string>>>>;
  buttons: readonly QuickReplyButton[];
}

const defineTemplate = <K extends TemplateKey>(definition: TemplateDefinition<K>) => definition;

/**
 * The opt-out quick reply on customer templates. Each title is itself an opt-out keyword, so a tap
 * works through the same path as typing it, and it matches the body's "reply STOP" line.
 */
const OPT_OUT_BUTTON: QuickReplyButton = {
  type: 'QUICK_REPLY',
  payload: 'opt_out',
  title: { he: 'הסר', en: 'STOP', ar: 'توقف' },
};

const SAMPLE_BUSINESS: Record<Language, string> = { he: 'מספרת דנה', en: 'Dana Hair Studio', ar: 'صالون دانا' };
const SAMPLE_CUSTOMER: Record<Language, string> = { he: 'יוסי', en: 'Yossi', ar: 'يوسف' };
const SAMPLE_REVIEW_LINK = 'https://g.page/r/CdEXAMPLE123/review';

/** Every template Findo sends, by its name at Meta. */
export const TEMPLATES = {
  findo_missed_call: defineTemplate({
    category: 'UTILITY',
    categoryReason:
      'A non-promotional follow-up to the caller’s own call to this business, naming the business and ' +
      'asking how to help; Meta lists following up on a customer’s call as utility. No offers, or it becomes marketing.',
    languages: LANGUAGES,
    bodyKey: 'template.missedCall',
    parameters: TEMPLATE_PARAMETERS['template.missedCall'],
    examples: {
      he: { business: SAMPLE_BUSINESS.he },
      en: { business: SAMPLE_BUSINESS.en },
      ar: { business: SAMPLE_BUSINESS.ar },
    },
    buttons: [OPT_OUT_BUTTON],
  }),
  findo_review_request: defineTemplate({
    category: 'MARKETING',
    categoryReason:
      'A public Google review mainly benefits the business, and the body does not cite a specific invoice or ' +
      'visit; Meta does not approve generic feedback requests as utility and treats unclear content as marketing. ' +
      'Submitting it as utility invites recategorisation and misclassification limits (131064).',
    languages: LANGUAGES,
    bodyKey: 'template.reviewRequest',
    parameters: TEMPLATE_PARAMETERS['template.reviewRequest'],
    examples: {
      he: { name: SAMPLE_CUSTOMER.he, business: SAMPLE_BUSINESS.he, link: SAMPLE_REVIEW_LINK },
      en: { name: SAMPLE_CUSTOMER.en, business: SAMPLE_BUSINESS.en, link: SAMPLE_REVIEW_LINK },
      ar: { name: SAMPLE_CUSTOMER.ar, business: SAMPLE_BUSINESS.ar, link: SAMPLE_REVIEW_LINK },
    },
    buttons: [OPT_OUT_BUTTON],
  }),
  findo_review_reminder: defineTemplate({
    category: 'MARKETING',
    categoryReason: 'A second request for the same public review: marketing for the same reasons as findo_review_request.',
    languages: LANGUAGES,
    bodyKey: 'template.reviewReminder',
    parameters: TEMPLATE_PARAMETERS['template.reviewReminder'],
    examples: {
      he: { business: SAMPLE_BUSINESS.he, link: SAMPLE_REVIEW_LINK },
      en: { business: SAMPLE_BUSINESS.en, link: SAMPLE_REVIEW_LINK },
      ar: { business: SAMPLE_BUSINESS.ar, link: SAMPLE_REVIEW_LINK },
    },
    buttons: [OPT_OUT_BUTTON],
  }),
  findo_owner_alert: defineTemplate({
    category: 'UTILITY',
    categoryReason:
      'An alert the owner signed up for about their own account (a new lead, a review awaiting approval, the digest); ' +
      'non-promotional and specific to them.',
    languages: LANGUAGES,
    bodyKey: 'template.ownerAlert',
    parameters: TEMPLATE_PARAMETERS['template.ownerAlert'],
    examples: {
      he: { text: 'ליד חדש: יוסי · תספורת · מחר בבוקר · 052-123-4567' },
      en: { text: 'New lead: Yossi · haircut · tomorrow morning · 052-123-4567' },
      ar: { text: 'عميل جديد: يوسف · قص شعر · صباح الغد · 052-123-4567' },
    },
    // One template carries every kind of alert (lead, review draft, digest) and a template's
    // buttons are fixed, so none would suit them all. Any reply opens the owner's 24-hour window,
    // after which the alert's own interactive message brings the buttons that fit it.
    buttons: [],
  }),
  findo_owner_welcome: defineTemplate({
    category: 'UTILITY',
    categoryReason:
      'Sent once to the owner when their business is set up: it confirms the service they signed up for and how to ' +
      'use it (the menu, connecting Google). Account onboarding with no offer is utility.',
    languages: LANGUAGES,
    bodyKey: 'template.ownerWelcome',
    parameters: TEMPLATE_PARAMETERS['template.ownerWelcome'],
    examples: {
      he: { business: SAMPLE_BUSINESS.he },
      en: { business: SAMPLE_BUSINESS.en },
      ar: { business: SAMPLE_BUSINESS.ar },
    },
    buttons: [],
  }),
} as const;

/** The name of a Findo template at Meta. */
export type TemplateName = keyof typeof TEMPLATES;

/** The values a template's body needs, by variable name. */
export type TemplateVars<N extends TemplateName> = {
  readonly [P in (typeof TEMPLATES)[N]['parameters'][number]]: string | number;
};

/**
 * The body parameters of a template send, in `{{1}}`, `{{2}}`… order. Values are made sendable:
 * Meta refuses parameter text with line breaks, tabs or more than four spaces in a row (132018),
 * so lines are joined with ` · ` and runs of spaces collapse to one.
 *
 * @throws RangeError when a value is missing or blank (Meta would refuse the send).
 */
export function templateBodyParams<N extends TemplateName>(name: N, vars: TemplateVars<N>): string[] {
  return bodyParams(name, vars);
}

/** A send of one template with the values its body needs (for any of the templates). */
export type TemplateSend = { [N in TemplateName]: { name: N; vars: TemplateVars<N> } }[TemplateName];

/** `templateBodyParams` of a send whose template is known only at run time. */
export const templateSendParams = (send: TemplateSend): string[] => bodyParams(send.name, send.vars);

function bodyParams(name: TemplateName, values: Readonly<Record<string, string | number | null | undefined>>): string[] {
  return TEMPLATES[name].parameters.map((parameter: string) => {
    const value = flattenParameter(String(values[parameter] ?? ''));
    if (!value) throw new RangeError(`Template ${name} needs a non-empty value for "${parameter}"`);
    return value;
  });
}

function flattenParameter(value: string): string {
  return value
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((line) => line.replace(/[\t ]+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
}

const LANGUAGE_NAMES: Record<Language, string> = { he: 'Hebrew', en: 'English', ar: 'Arabic' };

/**
 * Every template, written out the way Meta's template manager asks for it: name, category,
 * languages, and per language the body with `{{n}}` variables, a sample value for each variable,
 * and the buttons. `findo templates` prints this.
 */
export function renderTemplatesForMetaManager(): string {
  const sections = (Object.keys(TEMPLATES) as TemplateName[]).map((name) => {
    const template: TemplateDefinition = TEMPLATES[name];
    const lines = [
      `Name: ${name}`,
      `Category: ${template.category}`,
      `  Why: ${template.categoryReason}`,
      `Languages: ${template.languages.join(', ')}`,
      'Variable type: Number',
    ];
    for (const language of template.languages) {
      lines.push('', `[${language}] ${LANGUAGE_NAMES[language]}`, 'Body:');
      lines.push(...indent(templateBody(language, template.bodyKey)));
      lines.push('Samples:');
      template.parameters.forEach((parameter, index) => {
        lines.push(`  {{${index + 1}}} (${parameter}): ${template.examples[language][parameter]}`);
      });
      lines.push(
        template.buttons.length === 0 ? 'Buttons: none' : 'Buttons:',
        ...template.buttons.map((button) => `  Quick reply: ${button.title[language]}`),
      );
    }
    return lines.join('\n');
  });
  return `${sections.join(`\n\n${'-'.repeat(60)}\n\n`)}\n`;
}

const indent = (text: string): string[] => text.split('\n').map((line) => `  ${line}`);
