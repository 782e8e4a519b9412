/**
 * The tiny placeholder language filled into compiled templates, per message:
 *
 * - `{{name}}` or `{{data.order_id}}`: a value, always HTML-escaped (there is no raw form).
 * - `{{#name}}…{{/name}}`: a section, shown when the value is truthy; a list repeats it per item,
 *   with the item's fields in scope.
 * - `{{^name}}…{{/name}}`: shown when the value is falsy or an empty list.
 *
 * A value used as a URL (a name ending in `url`, or any value inside an `href`/`src`-like
 * attribute) must be an absolute http(s) URL, or it is dropped. MJML runs once per template; this
 * runs per message, so it is kept to a single pass over a pre-parsed tree.
 */

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string[]; url: boolean }
  | { kind: 'section'; path: string[]; url: boolean; inverted: boolean; children: TemplateNode[] };

/** A template parsed once, ready to be filled many times. */
export interface CompiledTemplate {
  fill(context: Record<string, unknown>): string;
}

const tagPattern = /\{\{\s*([#^/]?)\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;
const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'cite', 'longdesc', 'xlink:href', 'srcset']);
const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

/** The URL normalised, when it is an absolute http(s) URL; otherwise undefined. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/** True when the text before a placeholder ends inside a URL-valued attribute of an open tag. */
function insideUrlAttribute(before: string): boolean {
  const open = before.lastIndexOf('<');
  if (open === -1 || open < before.lastIndexOf('>')) return false;
  const match = /([^\s"'=<>/]+)\s*=\s*(?:"[^"]*|'[^']*|[^\s"'>]*)$/.exec(before.slice(open));
  return match !== null && urlAttributes.has(match[1]!.toLowerCase());
}

const isUrlName = (path: string[]) => /url$/i.test(path[path.length - 1]!);

/** Parses the placeholders of compiled HTML once; unbalanced sections throw a TemplateError. */
export function parseTemplate(source: string): CompiledTemplate {
  const root: TemplateNode[] = [];
  const stack: { name: string; children: TemplateNode[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const match of source.matchAll(tagPattern)) {
    const [tag, sigil, name] = match as unknown as [string, string, string];
    const index = match.index;
    const current = stack[stack.length - 1]!;
    if (index > last) current.children.push({ kind: 'text', text: source.slice(last, index) });
    last = index + tag.length;
    const path = name.split('.');
    if (sigil === '') {
      current.children.push({ kind: 'value', path, url: isUrlName(path) || insideUrlAttribute(source.slice(0, index)) });
    } else if (sigil === '/') {
      if (stack.length === 1 || current.name !== name) {
        throw new TemplateError(`unexpected {{/${name}}}${stack.length > 1 ? `, {{#${current.name}}} is still open` : ''}`);
      }
      stack.pop();
    } else {
      const section: TemplateNode = { kind: 'section', path, url: isUrlName(path), inverted: sigil === '^', children: [] };
      current.children.push(section);
      stack.push({ name, children: section.children });
    }
  }
  if (stack.length > 1) throw new TemplateError(`{{#${stack[stack.length - 1]!.name}}} is never closed`);
  if (last < source.length) root.push({ kind: 'text', text: source.slice(last) });
  return { fill: (context) => render(root, [context]) };
}

function lookup(scopes: unknown[], path: string[]): unknown {
  const [head, ...rest] = path as [string, ...string[]];
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope !== null && typeof scope === 'object' && Object.hasOwn(scope, head)) {
      let value: unknown = (scope as Record<string, unknown>)[head];
      for (const key of rest) {
        value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
      }
      return value;
    }
  }
  return undefined;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return '';
}

function render(nodes: TemplateNode[], scopes: unknown[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
    } else if (node.kind === 'value') {
      const value = lookup(scopes, node.path);
      out += escapeHtml(node.url ? (safeUrl(value) ?? '') : toText(value));
    } else {
      let value = lookup(scopes, node.path);
      if (node.url) value = safeUrl(value);
      if (Array.isArray(value)) {
        if (node.inverted) out += value.length === 0 ? render(node.children, scopes) : '';
        else for (const item of value) out += render(node.children, [...scopes, item]);
      } else if (Boolean(value) !== node.inverted) {
        out += render(node.children, typeof value === 'object' && value !== null ? [...scopes, value] : scopes);
      }
    }
  }
  return out;
}
