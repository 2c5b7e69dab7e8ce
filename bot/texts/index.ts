/**
 * Message texts, one catalog per language. The Hebrew catalog is the reference: its keys are
 * `TextKey`, and the compiler rejects an English or Arabic catalog that misses a key, adds one, or
 * uses different `{placeholders}` for it.
 */
import { ar } from './ar.ts';
import { en } from './en.ts';
import { he } from './he.ts';

/** A language Findo speaks with customers and owners. */
export type Language = 'he' | 'en' | 'ar';

/** Every language, Hebrew (the default) first. */
export const LANGUAGES: readonly Language[] = ['he', 'en', 'ar'];

type ReferenceCatalog = typeof he;

/** The name of a text, e.g. `'lead.askName'`. */
export type TextKey = keyof ReferenceCatalog;

/** The `{placeholder}` names inside a string literal type. */
export type PlaceholdersOf<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;

/** The placeholder names of a text. */
export type TextPlaceholder<K extends TextKey> = PlaceholdersOf<ReferenceCatalog[K]>;

/** The variables a text needs, e.g. `{ name: 'דני' }` for `'lead.askNeed'`. */
export type TextVars<K extends TextKey> = { readonly [P in TextPlaceholder<K>]: string | number };

/** A catalog in another language: every key, any wording (placeholders are checked below). */
export type Catalog = { readonly [K in TextKey]: string };

/**
 * Resolves to the catalog itself when every text has exactly the reference placeholders, and
 * otherwise to a type whose mismatching entries name the placeholders they should have.
 */
type SamePlaceholders<C extends Catalog> = {
  readonly [K in TextKey]: [PlaceholdersOf<C[K]>] extends [TextPlaceholder<K>]
    ? [TextPlaceholder<K>] extends [PlaceholdersOf<C[K]>]
      ? C[K]
      : `placeholders must be exactly: ${TextPlaceholder<K>}`
    : `placeholders must be exactly: ${TextPlaceholder<K>}`;
};

const catalogs: { readonly [L in Language]: Catalog } = {
  he,
  en: en satisfies SamePlaceholders<typeof en>,
  ar: ar satisfies SamePlaceholders<typeof ar>,
};

/** Every text key, in catalog order. */
export const TEXT_KEYS = Object.keys(he) as TextKey[];

/** The raw text of a key in a language, with its `{placeholders}` unfilled. */
export const rawText = (language: Language, key: TextKey): string => catalogs[language][key];

/** Thrown when `t` is asked for a text without one of the variables it needs. */
export class MissingTextVariableError extends Error {
  constructor(
    readonly key: TextKey,
    readonly variable: string,
    readonly language?: Language,
  ) {
    super(`Text "${key}"${language ? ` (${language})` : ''} needs the variable "${variable}"`);
    this.name = 'MissingTextVariableError';
  }
}

type TextVarsArgument<K extends TextKey> = [TextPlaceholder<K>] extends [never]
  ? [vars?: Readonly<Record<string, never>>]
  : [vars: TextVars<K>];

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * The text of `key` in `language` with its `{placeholders}` filled from `vars`.
 * Values are inserted as they are (a value containing `{x}` is not filled again).
 *
 * @throws MissingTextVariableError when a placeholder has no value (undefined or null).
 */
export function t<K extends TextKey>(language: Language, key: K, ...[vars]: TextVarsArgument<K>): string {
  return textOf(language, key, vars ?? {});
}

/**
 * The text of a key chosen at run time (a machine's `say`, a stored template send): the key is
 * checked by the compiler, the variables when the text is filled.
 *
 * @throws MissingTextVariableError when a placeholder has no value (undefined or null).
 */
export function textOf(language: Language, key: TextKey, values: Readonly<Record<string, string | number | null | undefined>>): string {
  return rawText(language, key).replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null) throw new MissingTextVariableError(key, name, language);
    return String(value);
  });
}

/** The placeholder names of a text, in order of first appearance. */
export const placeholdersOf = (language: Language, key: TextKey): string[] => [
  ...new Set(Array.from(rawText(language, key).matchAll(PLACEHOLDER), (match) => match[1])),
];

/** A text that is the body of a WhatsApp message template. */
export type TemplateKey = Extract<TextKey, `template.${string}`>;

/**
 * The order of each template's variables: WhatsApp numbers template parameters (`{{1}}`, `{{2}}`…),
 * so the sender passes the values in this order and `templateBody` numbers them the same way.
 */
export const TEMPLATE_PARAMETERS = {
  'template.missedCall': ['business'],
  'template.reviewRequest': ['name', 'business', 'link'],
  'template.reviewReminder': ['business', 'link'],
  'template.ownerAlert': ['text'],
  'template.ownerWelcome': ['business'],
} as const satisfies { readonly [K in TemplateKey]: readonly TextPlaceholder<K>[] };

/** A template body as Meta's template manager wants it: `{business}` becomes `{{1}}`, and so on. */
export function templateBody(language: Language, key: TemplateKey): string {
  const order: readonly string[] = TEMPLATE_PARAMETERS[key];
  return rawText(language, key).replace(PLACEHOLDER, (_, name: string) => {
    const position = order.indexOf(name);
    if (position < 0) throw new Error(`Template "${key}" has no parameter "${name}" in TEMPLATE_PARAMETERS`);
    return `{{${position + 1}}}`;
  });
}

/**
 * A template's parameter values in `{{n}}` order.
 *
 * @throws MissingTextVariableError when a value is missing.
 */
export function templateParameters<K extends TemplateKey>(key: K, vars: TextVars<K>): string[] {
  const values = vars as Readonly<Record<string, string | number | null | undefined>>;
  return TEMPLATE_PARAMETERS[key].map((name: string) => {
    const value = values[name];
    if (value === undefined || value === null) throw new MissingTextVariableError(key, name);
    return String(value);
  });
}
