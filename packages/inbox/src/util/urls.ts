/**
 * The URL to follow for `value`, resolved against the page, when it is http(s) or relative;
 * undefined for anything else (`javascript:`, `data:`, `vbscript:` …) and for unparsable text.
 * Parsing rather than matching prefixes: the URL parser strips the spaces and control characters
 * that would otherwise hide a scheme (` javascript:`, `java\tscript:`).
 */
export function safeUrl(value: string | null | undefined, base: string): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/**
 * An absolute URL for an attribute that may be relative to the page (`/api`), or undefined when
 * the attribute is missing or unparsable.
 */
export function absoluteUrl(value: string | undefined, base: string): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value, base).toString();
  } catch {
    return undefined;
  }
}
