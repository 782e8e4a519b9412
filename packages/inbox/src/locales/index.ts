import { el } from './el.ts';
import { en } from './en.ts';
import type { Messages, PluralMessage } from './messages.ts';

export type { Messages, PluralMessage } from './messages.ts';

/** The bundled locales, by BCP 47 language tag. */
export const bundledLocales = { en, el } satisfies Record<string, Messages>;
export type BundledLocale = keyof typeof bundledLocales;

const fallbackLocale: BundledLocale = 'en';

function isBundled(tag: string): tag is BundledLocale {
  return Object.hasOwn(bundledLocales, tag);
}

/**
 * The bundled locale that best fits the first tag that matches one: exact (`el`) or by language
 * (`el-CY` → `el`). Tried in order: the element's `locale`, the page's `<html lang>`, the
 * browser's languages; English when none matches.
 */
export function resolveLocale(candidates: ReadonlyArray<string | null | undefined>): BundledLocale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const tag = candidate.toLowerCase();
    if (isBundled(tag)) return tag;
    const language = tag.split('-')[0] ?? '';
    if (isBundled(language)) return language;
  }
  return fallbackLocale;
}

type KeysOf<T> = { [K in keyof Messages]: Messages[K] extends T ? K : never }[keyof Messages];
export type StringKey = KeysOf<string>;
export type PluralKey = KeysOf<PluralMessage>;
type Values = Record<string, string | number>;

/** Looks up strings of one locale and fills their `{name}` placeholders. */
export class Translator {
  readonly messages: Messages;
  private readonly pluralRules: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;

  constructor(readonly locale: BundledLocale) {
    this.messages = bundledLocales[locale];
    this.pluralRules = new Intl.PluralRules(locale);
    this.numbers = new Intl.NumberFormat(locale);
  }

  /** The string for `key`, with placeholders filled from `values`. */
  t(key: StringKey, values?: Values): string {
    return fill(this.messages[key], values);
  }

  /** The plural form of `key` that `count` needs in this language; `{count}` is the formatted number. */
  plural(key: PluralKey, count: number, values?: Values): string {
    const forms = this.messages[key];
    const template = forms[this.pluralRules.select(count)] ?? forms.other;
    return fill(template, { ...values, count: this.numbers.format(count) });
  }
}

function fill(template: string, values: Values | undefined): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}
