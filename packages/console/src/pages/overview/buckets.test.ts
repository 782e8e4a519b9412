import { describe, expect, it } from 'vitest';
import { bucketStarts, fillBuckets } from './buckets.ts';

const at = (iso: string) => Date.parse(iso);

describe('bucket filling', () => {
  it('covers the window with aligned buckets, partial ones at both ends included', () => {
    const starts = bucketStarts(at('2025-01-01T10:00:30Z'), at('2025-01-01T10:03:10Z'), 60);
    expect(starts.map((s) => new Date(s * 1000).toISOString())).toEqual([
      '2025-01-01T10:00:00.000Z',
      '2025-01-01T10:01:00.000Z',
      '2025-01-01T10:02:00.000Z',
      '2025-01-01T10:03:00.000Z',
    ]);
  });

  it('leaves out a bucket that starts exactly at the end', () => {
    expect(bucketStarts(at('2025-01-01T10:00:00Z'), at('2025-01-01T12:00:00Z'), 3600)).toHaveLength(2);
  });

  it('fills zeros per series and orders series by total', () => {
    const filled = fillBuckets(
      at('2025-01-01T10:00:00Z'),
      at('2025-01-01T10:04:00Z'),
      60,
      [
        { t: '2025-01-01T10:01:00Z', type: 'invoice.paid', count: 2 },
        { t: '2025-01-01T10:00:00Z', type: 'comment.created', count: 3 },
        { t: '2025-01-01T10:03:00.000Z', type: 'comment.created', count: 7 },
        { t: '2025-01-01T11:00:00Z', type: 'comment.created', count: 99 },
      ],
      (row) => row.type,
    );
    expect(filled.total).toBe(12);
    expect(filled.series).toEqual([
      { key: 'comment.created', counts: [3, 0, 0, 7], total: 10 },
      { key: 'invoice.paid', counts: [0, 2, 0, 0], total: 2 },
    ]);
  });

  it('answers no series for an empty window', () => {
    const filled = fillBuckets(at('2025-01-01T10:00:00Z'), at('2025-01-01T10:02:00Z'), 60, [], () => 'x');
    expect(filled).toEqual({ times: [1735725600, 1735725660], series: [], total: 0 });
  });
});
