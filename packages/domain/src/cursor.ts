import { AppError } from '@tidings/server-kit';

/**
 * Opaque keyset cursors: base64url of a small JSON array. A cursor that does not decode to the
 * expected shape is a 400 naming the `cursor` field, never a database error.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor<T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === shape.length &&
    parts.every((part, index) =>
      shape[index] === 'number' ? Number.isSafeInteger(part) && (part as number) >= 0 : typeof part === 'string' && part.length <= 100,
    );
  if (!valid) {
    throw new AppError('validation_failed', 'cursor: not a cursor this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return parts as { [K in keyof T]: T[K] extends 'number' ? number : string };
}
