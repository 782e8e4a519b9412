import type { z } from 'zod';
import { findTextProblem } from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';

export interface FieldProblem {
  path: string;
  message: string;
}

type Where = 'body' | 'query' | 'path' | 'header';

/** Parses `value` or throws a 400 that names each bad field, `where` telling body, query or path. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: Where): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: FieldProblem[] = closestIssues(result.error.issues).map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path, ...(keys.length === 1 ? keys : [])].map(String).join('.');
    return { path: path || where, message: issue.message };
  });
  throw invalid(where, details);
}

/**
 * A union no option accepted (`{ ids } | { all_read: true }`) reports what the option that came
 * closest (fewest issues) says, so the answer names fields instead of "invalid input" at the top.
 */
function closestIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const closest = issue.errors.reduce((best, option) => (option.length < best.length ? option : best));
    return closestIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

/**
 * Applies the text rule (no NUL, no lone surrogate, bounded nesting) to everything a request
 * carries before any schema sees it, so no route can store a string Postgres refuses.
 */
export function assertText(value: unknown, where: Where): void {
  const problem = findTextProblem(value);
  if (problem) throw invalid(where, [{ path: problem.path || where, message: problem.message }]);
}

function invalid(where: Where, details: FieldProblem[]): AppError {
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new AppError('validation_failed', `invalid ${where}: ${summary}`, details);
}

/** The JSON of a body kept as bytes (a signed webhook's); an empty body reads as `{}`. */
export function parseJsonBytes(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('invalid_json', 'the request body is not valid JSON');
  }
}
