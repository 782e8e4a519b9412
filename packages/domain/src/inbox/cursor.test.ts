import { describe, expect, it } from 'vitest';
import { AppError } from '@tidings/server-kit';
import { decodeCursor, encodeCursor, type CursorPart } from './cursor.ts';

const id = '0b3f9c1e-6a3d-4c59-9a4e-2f1b7c8d9e0f';

describe('cursors', () => {
  it('round-trips', () => {
    expect(decodeCursor(encodeCursor([42]), ['seq'])).toEqual([42]);
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', id]), ['timestamp', 'uuid'])).toEqual(['2026-01-01T00:00:00.000Z', id]);
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'ann@example.com']), ['timestamp', 'text'])).toEqual([
      '2026-01-01T00:00:00.000Z',
      'ann@example.com',
    ]);
  });

  const refused: [string, CursorPart[]][] = [
    ['', ['seq']],
    ['!!!', ['seq']],
    [encodeCursor(['x']), ['seq']],
    [encodeCursor([1, 2]), ['seq']],
    [encodeCursor([-1]), ['seq']],
    [encodeCursor([1.5]), ['seq']],
    [Buffer.from('{"a":1}').toString('base64url'), ['seq']],
    // Edited admin cursors: each part is checked against the column it meets in SQL.
    [encodeCursor(['2024-01-01T00:00:00Z', id]), ['timestamp', 'uuid']],
    [encodeCursor(['+275760-09-13T00:00:00.000Z', id]), ['timestamp', 'uuid']],
    [encodeCursor(['2024-02-30T00:00:00.000Z', id]), ['timestamp', 'uuid']],
    [encodeCursor(['2024-01-01T00:00:00.000Z', 'zz']), ['timestamp', 'uuid']],
    [encodeCursor(['2024-01-01T00:00:00.000Z', 'a\u0000b']), ['timestamp', 'text']],
    [encodeCursor(['2024-01-01T00:00:00.000Z', '\ud800']), ['timestamp', 'text']],
    [encodeCursor(['2024-01-01T00:00:00.000Z', 'x'.repeat(256)]), ['timestamp', 'text']],
  ];
  it.each(refused)('refuses %j with a 400 naming cursor', (cursor, shape) => {
    let error: unknown;
    try {
      decodeCursor(cursor, shape);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).message).toContain('cursor');
  });
});
