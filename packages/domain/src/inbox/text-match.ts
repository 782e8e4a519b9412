import { ilike, or, type SQL } from 'drizzle-orm';

/** A LIKE pattern that finds `text` anywhere, its own `%`, `_` and `\` taken literally. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** A LIKE pattern that finds what starts with `text`, taken literally like `containing`. */
export function startingWith(text: string): string {
  return `${text.replace(/[\\%_]/g, '\\$&')}%`;
}

type TextColumn = Parameters<typeof ilike>[0];

/** The row's title or body matches `pattern` (ILIKE: case-insensitive). */
export const matches = (row: { title: TextColumn; body: TextColumn }, pattern: string): SQL => or(ilike(row.title, pattern), ilike(row.body, pattern))!;
