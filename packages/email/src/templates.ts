import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import mjml2html from 'mjml';
import { TemplateError, parseTemplate, safeUrl, type CompiledTemplate } from './placeholders.ts';

/** How every email looks: from configuration, the same for all messages of a process. */
export interface Branding {
  productName: string;
  /** Shown at the top instead of the product name; must be an absolute http(s) URL. */
  logoUrl?: string | undefined;
  /** Buttons, links and the top border, as `#rgb` or `#rrggbb`. */
  color: string;
  /** Postal address in the footer (CAN-SPAM and friends ask for one). */
  footerAddress: string;
  /** Where relative action URLs point, and where the logo links to. */
  publicUrl: string;
}

/** One notification as an email. */
export interface NotificationEmail {
  /** Notification type key; picks `templates/<type>.mjml` when that file exists. */
  type: string;
  title: string;
  body?: string | null | undefined;
  /** Absolute http(s) URL or a path (resolved against `Branding.publicUrl`); anything else is dropped. */
  actionUrl?: string | null | undefined;
  /** The notification's `data`, reachable in templates as `{{data.key}}`. */
  data?: Record<string, unknown> | null | undefined;
  recipientName?: string | null | undefined;
  /** The link shown in the footer (see `unsubscribeUrl()`). */
  unsubscribeUrl?: string | null | undefined;
  /** The type's `template` column: MJML source that takes precedence over the files. */
  template?: string | null | undefined;
}

export interface DigestItem {
  type?: string | undefined;
  title: string;
  body?: string | null | undefined;
  actionUrl?: string | null | undefined;
  createdAt?: Date | string | undefined;
}

/** Many notifications in one email (the daily or weekly digest). */
export interface DigestEmail {
  period: 'daily' | 'weekly';
  items: DigestItem[];
  recipientName?: string | null | undefined;
  unsubscribeUrl?: string | null | undefined;
}

export interface RenderedEmail {
  /** One line, no CR/LF, at most `subjectMaxLength` characters. */
  subject: string;
  html: string;
  text: string;
  /** Which template made the HTML, for `email_logs.template`: `default`, `digest`, `<type>` or `override:<type>`. */
  template: string;
}

/** Turns MJML source into HTML; injectable so tests can count compilations. */
export type MjmlCompiler = (source: string) => Promise<string>;

export interface EmailRendererOptions {
  branding: Branding;
  /** Folder of `default.mjml`, `digest.mjml` and `<type>.mjml`. @defaultValue the package's `templates/` */
  templatesDir?: string;
  /** @defaultValue `compileMjml` */
  compile?: MjmlCompiler;
  /** Compiled templates kept (type files and overrides); the least recently used go first. @defaultValue 500 */
  cacheSize?: number;
  /** Digest entries shown before "…and N more". @defaultValue 50 */
  digestMaxItems?: number;
}

export const subjectMaxLength = 200;
export const defaultTemplatesDir = fileURLToPath(new URL('../templates/', import.meta.url));

const typeKeyPattern = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const colorPattern = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
/** Replaced in the MJML source before compiling: MJML validates colour attributes, so it must see a real colour. */
const brandColorTag = /\{\{\s*brand_color\s*\}\}/g;

interface MjmlProblem {
  line?: number;
  tagName?: string;
  message?: string;
}

/**
 * One validation problem as the author needs it: line, tag and what is wrong. Not mjml's own
 * `formattedMessage`, which names the server's working directory as the template's file.
 */
function describeProblem(problem: MjmlProblem): string {
  const message = (problem.message ?? 'invalid').trim();
  if (problem.line === undefined) return message;
  return `line ${problem.line}${problem.tagName ? ` (${problem.tagName})` : ''}: ${message}`;
}

/**
 * Compiles MJML with strict validation and includes disabled (an admin's template must not read
 * files from the server). Throws a TemplateError listing MJML's complaints.
 */
export async function compileMjml(source: string): Promise<string> {
  try {
    const result = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true, keepComments: false, fonts: {} });
    return result.html;
  } catch (error) {
    const problems = (error as { errors?: MjmlProblem[] }).errors;
    const detail = problems?.length ? problems.map(describeProblem).join('; ') : (error as Error).message;
    throw new TemplateError(`invalid MJML template: ${detail}`);
  }
}

/** What is wrong with a template's MJML source or placeholders; empty when it is fine. For the API to check at write time. */
export async function validateTemplate(source: string, compile: MjmlCompiler = compileMjml): Promise<string[]> {
  try {
    parseTemplate(await compile(source.replace(brandColorTag, '#000000')));
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** A one-line subject: control characters (CR, LF…) become spaces, runs of space collapse, long ones end in "…". */
export function cleanSubject(value: string, maxLength = subjectMaxLength): string {
  const line = value
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(line);
  return chars.length <= maxLength
    ? line
    : `${chars
        .slice(0, maxLength - 1)
        .join('')
        .trimEnd()}…`;
}

/** Map with a size bound: a read moves the entry to the newest end, so the least recently used is evicted. */
class LruCache<V> {
  readonly #entries = new Map<string, V>();
  constructor(private readonly size: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/**
 * Renders notifications and digests to `{ subject, html, text }`. Each template is compiled by
 * MJML once and kept; per message only placeholders are filled, always HTML-escaped.
 */
export class EmailRenderer {
  readonly #branding: Branding;
  readonly #dir: string;
  readonly #compile: MjmlCompiler;
  readonly #digestMaxItems: number;
  readonly #baseContext: Record<string, unknown>;
  /** Compiled templates by source: `file:<name>` or `override:<sha256>`. Promises, so concurrent first uses compile once. */
  readonly #compiled: LruCache<Promise<CompiledTemplate>>;
  /** `templates/<type>.mjml` by type (null: no such file), so the disk is read once per type. */
  readonly #typeFiles: LruCache<Promise<string | null>>;

  constructor(options: EmailRendererOptions) {
    const { branding } = options;
    if (!colorPattern.test(branding.color)) throw new TemplateError(`branding colour must be #rgb or #rrggbb, got "${branding.color}"`);
    if (safeUrl(branding.publicUrl) === undefined) throw new TemplateError(`branding publicUrl must be an http(s) URL, got "${branding.publicUrl}"`);
    this.#branding = branding;
    this.#dir = options.templatesDir ?? defaultTemplatesDir;
    this.#compile = options.compile ?? compileMjml;
    this.#digestMaxItems = options.digestMaxItems ?? 50;
    this.#compiled = new LruCache(options.cacheSize ?? 500);
    this.#typeFiles = new LruCache(options.cacheSize ?? 500);
    this.#baseContext = {
      product_name: branding.productName,
      logo_url: safeUrl(branding.logoUrl),
      public_url: safeUrl(branding.publicUrl),
      footer_address: branding.footerAddress,
    };
  }

  async render(message: NotificationEmail): Promise<RenderedEmail> {
    const { name, template } = await this.#pick(message);
    const subject = cleanSubject(message.title) || this.#branding.productName;
    const body = message.body ?? '';
    const actionUrl = this.#absoluteUrl(message.actionUrl);
    const unsubscribeUrl = safeUrl(message.unsubscribeUrl);
    const html = template.fill({
      ...this.#baseContext,
      subject,
      preview: cleanSubject(body, 140),
      type: message.type,
      title: message.title,
      body,
      action_url: actionUrl,
      recipient_name: message.recipientName ?? '',
      unsubscribe_url: unsubscribeUrl,
      data: message.data ?? {},
    });
    const text = [message.title, body, actionUrl && `View: ${actionUrl}`, this.#textFooter(unsubscribeUrl)].filter(Boolean).join('\n\n');
    return { subject, html, text: `${text}\n`, template: name };
  }

  async renderDigest(digest: DigestEmail): Promise<RenderedEmail> {
    const template = await this.#load('file:digest', () => this.#readTemplate('digest'));
    const count = digest.items.length;
    const noun = count === 1 ? 'notification' : 'notifications';
    const subject = cleanSubject(`Your ${digest.period} ${this.#branding.productName} digest: ${count} new ${noun}`);
    const items = digest.items.slice(0, this.#digestMaxItems).map((item) => ({
      type: item.type ?? '',
      title: item.title,
      body: item.body ?? '',
      action_url: this.#absoluteUrl(item.actionUrl),
      created_at: formatDate(item.createdAt),
    }));
    const more = count - items.length;
    const unsubscribeUrl = safeUrl(digest.unsubscribeUrl);
    const heading = `${count} new ${noun}`;
    const html = template.fill({
      ...this.#baseContext,
      subject,
      preview: items
        .map((item) => item.title)
        .join(' · ')
        .slice(0, 140),
      heading,
      count,
      period: digest.period,
      items,
      more,
      recipient_name: digest.recipientName ?? '',
      unsubscribe_url: unsubscribeUrl,
    });
    const lines = items.map((item) =>
      [`- ${item.title}`, item.body && `  ${item.body.replace(/\n/g, '\n  ')}`, item.action_url && `  ${item.action_url}`].filter(Boolean).join('\n'),
    );
    if (more > 0) lines.push(`…and ${more} more.`);
    const text = [heading, lines.join('\n\n'), this.#textFooter(unsubscribeUrl)].join('\n\n');
    return { subject, html, text: `${text}\n`, template: 'digest' };
  }

  /** The override wins, then `<type>.mjml`, then `default.mjml`. */
  async #pick(message: NotificationEmail): Promise<{ name: string; template: CompiledTemplate }> {
    if (message.template != null && message.template.trim() !== '') {
      const source = message.template;
      const hash = createHash('sha256').update(source).digest('hex');
      return { name: `override:${message.type}`, template: await this.#load(`override:${hash}`, async () => source) };
    }
    const typeSource = typeKeyPattern.test(message.type) ? await this.#typeSource(message.type) : null;
    if (typeSource !== null) {
      return { name: message.type, template: await this.#load(`file:${message.type}`, async () => typeSource) };
    }
    return { name: 'default', template: await this.#load('file:default', () => this.#readTemplate('default')) };
  }

  /** The source of `<type>.mjml`, or null when the type has no file of its own. */
  #typeSource(type: string): Promise<string | null> {
    let found = this.#typeFiles.get(type);
    if (found === undefined) {
      found = this.#readTemplate(type).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      this.#typeFiles.set(type, found);
    }
    return found;
  }

  #readTemplate(name: string): Promise<string> {
    return readFile(join(this.#dir, `${name}.mjml`), 'utf8');
  }

  /** A failed compile stays cached too: the same source would fail the same way on every message. */
  #load(key: string, source: () => Promise<string>): Promise<CompiledTemplate> {
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = source().then(async (mjml) => parseTemplate(await this.#compile(mjml.replace(brandColorTag, this.#branding.color))));
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }

  #absoluteUrl(value: string | null | undefined): string | undefined {
    if (value == null) return undefined;
    const trimmed = value.trim();
    if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return safeUrl(new URL(trimmed, this.#branding.publicUrl).href);
    return safeUrl(trimmed);
  }

  #textFooter(unsubscribeUrl: string | undefined): string {
    const lines = ['-- ', `${this.#branding.productName} · ${this.#branding.footerAddress}`];
    if (unsubscribeUrl) lines.push(`Unsubscribe: ${unsubscribeUrl}`);
    return lines.join('\n');
  }
}

function formatDate(value: Date | string | undefined): string {
  if (value === undefined) return '';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
