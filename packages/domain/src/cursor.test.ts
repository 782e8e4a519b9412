import { describe, expect, it } from 'vitest';
import { AppError } from '@tidings/server-kit';
import { decodeCursor, encodeCursor } from './cursor.ts';

describe('cursors', () => {
  it('round-trips', () => {
    expect(decodeCursor(encodeCursor([42]), ['number'] as const)).toEqual([42]);
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'id']), ['string', 'string'] as const)).toEqual(['2026-01-01T00:00:00.000Z', 'id']);
  });

  it.each(['', '!!!', encodeCursor(['x']), encodeCursor([1, 2]), encodeCursor([-1]), encodeCursor([1.5]), Buffer.from('{"a":1}').toString('base64url')])(
    'refuses %j with a 400 naming cursor',
    (cursor) => {
      let error: unknown;
      try {
        decodeCursor(cursor, ['number'] as const);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).message).toContain('cursor');
    },
  );
});
