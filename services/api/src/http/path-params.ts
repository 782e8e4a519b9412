import type { RequestHandler } from 'express';
import { AppError } from '@tidings/server-kit';

interface Pattern {
  regex: RegExp;
  names: string[];
}

/** `/v1/recipients/:id` → a matcher of its raw (still percent-encoded) parameters. */
function compile(path: string): Pattern {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`, 'i'), names };
}

/**
 * Express decodes path parameters while it matches routes, and a bad escape (`%ZZ`, `%FF`, an
 * overlong or surrogate UTF-8 sequence) surfaces there as a bare URIError. This step runs first:
 * the parameter that does not decode is named in a 400, for every route with parameters.
 */
export function pathParamGuard(paths: readonly string[]): RequestHandler {
  const patterns = [...new Set(paths)].filter((path) => path.includes('/:')).map(compile);
  return (req, _res, next) => {
    if (!req.path.includes('%')) return next();
    for (const { regex, names } of patterns) {
      const match = regex.exec(req.path);
      if (!match) continue;
      for (const [index, name] of names.entries()) {
        try {
          decodeURIComponent(match[index + 1]!);
        } catch {
          const message = 'is not valid percent-encoded UTF-8';
          return next(new AppError('validation_failed', `invalid path: ${name}: ${message}`, [{ path: name, message }]));
        }
      }
    }
    next();
  };
}
