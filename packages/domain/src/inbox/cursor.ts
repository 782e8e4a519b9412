import { textProblem } from '@tidings/protocol';
import { AppError } from '@tidings/server-kit';

/**
 * What each part of a cursor must be. A cursor comes back from the client, so it is input like any
 * other: every part is checked against the column it will be compared with.
 * - `seq`: a non-negative safe integer;
 * - `timestamp`: an ISO instant in UTC (as `toISOString` writes it) between 1970 and 9999;
 * - `uuid`: a UUID;
 * - `text`: a string of at most 255 characters that passes the text rule.
 */
export type CursorPart = 'seq' | 'timestamp' | 'uuid' | 'text';

type PartValue<P extends CursorPart> = P extends 'seq' ? number : string;

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const checks: Record<CursorPart, (part: unknown) => boolean> = {
  seq: (part) => Number.isSafeInteger(part) && (part as number) >= 0,
  timestamp: (part) => {
    if (typeof part !== 'string' || !isoInstant.test(part)) return false;
    const time = Date.parse(part);
    return Number.isFinite(time) && time >= 0 && new Date(time).toISOString() === part;
  },
  uuid: (part) => typeof part === 'string' && uuid.test(part),
  text: (part) => typeof part === 'string' && part.length <= 255 && textProblem(part) === undefined,
};

/** One page of a keyset-paginated listing; `next_cursor` is null on the last one. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * Opaque keyset cursors: base64url of a small JSON array. A cursor that does not decode to the
 * expected shape is a 400 naming the `cursor` field, never a database error.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor<const T extends readonly CursorPart[]>(cursor: string, shape: T): { [K in keyof T]: PartValue<T[K]> } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const valid = Array.isArray(parts) && parts.length === shape.length && parts.every((part, index) => checks[shape[index]!](part));
  if (!valid) {
    throw new AppError('validation_failed', 'cursor: not a cursor this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return parts as { [K in keyof T]: PartValue<T[K]> };
}
