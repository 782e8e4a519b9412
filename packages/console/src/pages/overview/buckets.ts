/**
 * The timeseries answer lists only non-zero buckets; a chart needs every bucket of the window.
 * These fill the gaps with zeros, per series.
 */

export interface FilledSeries {
  key: string;
  counts: number[];
  total: number;
}

export interface FilledBuckets {
  /** Start of every bucket, in seconds since the epoch (what uPlot wants). */
  times: number[];
  /** One per key, largest total first (ties by key). */
  series: FilledSeries[];
  total: number;
}

/** Starts of the buckets of `seconds` aligned to the epoch that meet [from, to). */
export function bucketStarts(fromMs: number, toMs: number, seconds: number): number[] {
  const size = seconds * 1000;
  const first = Math.floor(fromMs / size) * size;
  const starts: number[] = [];
  for (let start = first; start < toMs; start += size) starts.push(start / 1000);
  return starts;
}

export function fillBuckets<Row extends { t: string; count: number }>(
  fromMs: number,
  toMs: number,
  seconds: number,
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): FilledBuckets {
  const times = bucketStarts(fromMs, toMs, seconds);
  const index = new Map(times.map((time, position) => [time, position]));
  const byKey = new Map<string, number[]>();
  for (const row of rows) {
    const position = index.get(Math.floor(Date.parse(row.t) / (seconds * 1000)) * seconds);
    if (position === undefined) continue;
    const key = keyOf(row);
    let counts = byKey.get(key);
    if (!counts) {
      counts = times.map(() => 0);
      byKey.set(key, counts);
    }
    counts[position] = (counts[position] ?? 0) + row.count;
  }
  const series = [...byKey.entries()]
    .map(([key, counts]) => ({ key, counts, total: counts.reduce((sum, count) => sum + count, 0) }))
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  return { times, series, total: series.reduce((sum, entry) => sum + entry.total, 0) };
}
