import { limits } from './limits.ts';

/** Where a value breaks the text rule, and how. */
export interface TextProblem {
  /** Dotted path inside the value (`data.tags.0`), empty for the value itself. */
  path: string;
  message: string;
}

/**
 * The one rule for text Tidings accepts and stores, wherever it comes from (a body, a query, a path,
 * a key inside `data`): no U+0000, which Postgres cannot hold in `text` or `jsonb`, and no lone
 * UTF-16 surrogate (`\ud800` alone), which is not a character and which `jsonb` refuses too.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!text.isWellFormed()) return 'must be well-formed Unicode (a lone surrogate such as \\ud800 is not a character)';
  return undefined;
}

/**
 * Walks a parsed JSON value (or a query or params object) and answers the first string or key that
 * breaks the text rule, or nesting deeper than `limits.jsonDepth`, which no payload of ours needs
 * and which would otherwise exhaust the stack of whatever serialises it next.
 */
export function findTextProblem(value: unknown, maxDepth: number = limits.jsonDepth): TextProblem | undefined {
  return walk(value, [], maxDepth);
}

function walk(value: unknown, path: (string | number)[], depthLeft: number): TextProblem | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message === undefined ? undefined : { path: path.join('.'), message };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depthLeft === 0) return { path: path.join('.'), message: `must not nest more than ${limits.jsonDepth} levels deep` };
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = walk(value[index], [...path, index], depthLeft - 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, entry] of Object.entries(value)) {
    const keyMessage = textProblem(key);
    if (keyMessage !== undefined) return { path: [...path, key.replace(/[\u0000\ud800-\udfff]/g, '\ufffd')].join('.'), message: `key ${keyMessage}` };
    const problem = walk(entry, [...path, key], depthLeft - 1);
    if (problem) return problem;
  }
  return undefined;
}
