import { cpus } from 'node:os';
import { cpuSeconds, pidsNamed } from './children.ts';

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export const median = (values: number[]) => distribution(values).p50;

/** A Prometheus histogram's cumulative buckets (le → count), summed over several /metrics texts. */
export interface Histogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

export function parseHistogram(texts: string[], name: string): Histogram {
  const histogram: Histogram = { buckets: new Map(), sum: 0, count: 0 };
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (line.startsWith(`${name}_bucket`)) {
        const le = /le="([^"]+)"/.exec(line)?.[1];
        if (le === undefined) continue;
        const bound = le === '+Inf' ? Infinity : Number(le);
        histogram.buckets.set(bound, (histogram.buckets.get(bound) ?? 0) + value);
      } else if (line.startsWith(`${name}_sum`)) histogram.sum += value;
      else if (line.startsWith(`${name}_count`)) histogram.count += value;
    }
  }
  return histogram;
}

/** A Prometheus gauge or counter in one /metrics text, summed over its label sets (undefined if absent). */
export function parseGauge(text: string, name: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export function diffHistogram(after: Histogram, before: Histogram): Histogram {
  const buckets = new Map<number, number>();
  for (const [bound, count] of after.buckets) buckets.set(bound, count - (before.buckets.get(bound) ?? 0));
  return { buckets, sum: after.sum - before.sum, count: after.count - before.count };
}

/** The upper bound of the bucket holding quantile q (so "p99 ≤ this"), in the histogram's unit. */
export function histogramQuantile(histogram: Histogram, q: number): number {
  const target = q * histogram.count;
  for (const [bound, count] of [...histogram.buckets].sort((a, b) => a[0] - b[0])) if (count >= target) return bound;
  return Infinity;
}

/** CPU seconds used by named groups of processes over a stretch of the run. */
export class CpuMeter {
  private readonly before = new Map<string, number>();
  private started = 0;

  constructor(private readonly groups: () => Record<string, number[]>) {}

  static withServers(own: () => Record<string, number[]>): CpuMeter {
    return new CpuMeter(() => ({ ...own(), postgres: pidsNamed('postgres'), redis: pidsNamed('redis-server') }));
  }

  private sample(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const [name, pids] of Object.entries(this.groups())) {
      totals.set(
        name,
        pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0),
      );
    }
    return totals;
  }

  start(): void {
    this.before.clear();
    for (const [name, value] of this.sample()) this.before.set(name, value);
    this.started = performance.now();
  }

  /** Share of one core each group used since `start()` (1.0 = one core busy all the time). */
  stop(): Record<string, number> {
    const seconds = (performance.now() - this.started) / 1_000;
    const shares: Record<string, number> = {};
    for (const [name, value] of this.sample()) shares[name] = (value - (this.before.get(name) ?? 0)) / seconds;
    return shares;
  }
}

/** CPU seconds all cores of the machine have spent busy so far, whoever's processes ran. */
export function machineBusySeconds(): number {
  return cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0) / 1_000;
}
