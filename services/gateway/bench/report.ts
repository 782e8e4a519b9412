import { cpus, release, totalmem } from 'node:os';
import type { BroadcastResult } from './broadcast.ts';
import type { LatencyResult } from './latency.ts';
import type { MemoryPoint } from './memory.ts';
import type { System } from './options.ts';

export interface SystemResult {
  system: System;
  connectMs: number[];
  memoryAtN?: MemoryPoint;
  memoryAt2N?: MemoryPoint;
  marginal?: { rssPerConnection: number; heapPerConnection: number };
  /** One per `--rate`; the first is the headline. */
  latencies: LatencyResult[];
  broadcast?: BroadcastResult;
  unexpectedCloses: number;
  closeCodes: Record<string, number>;
}

export function machineInfo(): string {
  const list = cpus();
  return `${list.length} CPUs (${list[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`;
}

interface Row {
  figure: string;
  tidings?: number;
  baseline?: number;
  unit: 'KB' | 'ms' | 'rate' | 'text';
  goal: string;
  /** Passes when Tidings is within this bound (and, with `twice`, at least 2× better than the baseline). */
  bound?: number;
  twice?: boolean;
  /** Overrides for rows that are not plain numbers. */
  text?: [tidings: string, baseline: string];
  pass?: boolean;
}

function format(value: number | undefined, unit: Row['unit']): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'KB') return `${(value / 1024).toFixed(2)} KB`;
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  return `${value.toFixed(0)}/s`;
}

type WithHeadline = SystemResult & { latency?: LatencyResult };

function withHeadline(result: SystemResult | undefined): WithHeadline | undefined {
  return result && { ...result, latency: result.latencies[0] };
}

/** p99 rows for the runs after the headline one (other `--rate` values). */
function extraRates(t: WithHeadline | undefined, b: WithHeadline | undefined): Row[] {
  const runs = (t ?? b)?.latencies.slice(1) ?? [];
  return runs.flatMap((run, i) => [
    {
      figure: `POST → frame p99 @ ${run.rate}/s`,
      tidings: t?.latencies[i + 1]?.endToEnd.p99,
      baseline: b?.latencies[i + 1]?.endToEnd.p99,
      unit: 'ms' as const,
      goal: '(info)',
    },
    {
      figure: `Redis → frame p99 @ ${run.rate}/s`,
      tidings: t?.latencies[i + 1]?.busToFrame.p99,
      baseline: b?.latencies[i + 1]?.busToFrame.p99,
      unit: 'ms' as const,
      goal: '(info)',
    },
    {
      figure: `API throughput @ ${run.rate}/s`,
      tidings: t?.latencies[i + 1]?.throughput,
      baseline: b?.latencies[i + 1]?.throughput,
      unit: 'rate' as const,
      goal: '(info)',
    },
  ]);
}

const framesText = (l: LatencyResult | undefined) => (l ? `${l.framesReceived} / ${l.created}` : '—');
const framesEqual = (l: LatencyResult | undefined) => l !== undefined && l.framesReceived === l.created && l.distinctReceived === l.created;

export function comparisonTable(results: SystemResult[], connections: number): string {
  const t = withHeadline(results.find((r) => r.system === 'tidings'));
  const b = withHeadline(results.find((r) => r.system === 'baseline'));
  const n = connections.toLocaleString('en-US');
  const n2 = (2 * connections).toLocaleString('en-US');
  const rate = t?.latency?.rate ?? b?.latency?.rate;
  const rows: Row[] = [
    {
      figure: `idle RSS / connection @ ${n}`,
      tidings: t?.memoryAtN?.rssPerConnection,
      baseline: b?.memoryAtN?.rssPerConnection,
      unit: 'KB',
      goal: '≤ 8 KB, ≥ 2× better',
      bound: 8 * 1024,
      twice: true,
    },
    {
      figure: `idle RSS / connection @ ${n2}`,
      tidings: t?.memoryAt2N?.rssPerConnection,
      baseline: b?.memoryAt2N?.rssPerConnection,
      unit: 'KB',
      goal: '≤ 8 KB, ≥ 2× better',
      bound: 8 * 1024,
      twice: true,
    },
    {
      figure: `idle RSS / connection, ${n}→${n2}`,
      tidings: t?.marginal?.rssPerConnection,
      baseline: b?.marginal?.rssPerConnection,
      unit: 'KB',
      goal: '(marginal, no fixed costs)',
    },
    {
      figure: `idle heap / connection @ ${n}`,
      tidings: t?.memoryAtN?.heapPerConnection,
      baseline: b?.memoryAtN?.heapPerConnection,
      unit: 'KB',
      goal: '(info)',
    },
    {
      figure: `idle heap / connection @ ${n2}`,
      tidings: t?.memoryAt2N?.heapPerConnection,
      baseline: b?.memoryAt2N?.heapPerConnection,
      unit: 'KB',
      goal: '(info)',
    },
    { figure: `POST → frame p50 @ ${rate}/s`, tidings: t?.latency?.endToEnd.p50, baseline: b?.latency?.endToEnd.p50, unit: 'ms', goal: '(info)' },
    {
      figure: `POST → frame p99 @ ${rate}/s`,
      tidings: t?.latency?.endToEnd.p99,
      baseline: b?.latency?.endToEnd.p99,
      unit: 'ms',
      goal: '≤ 50 ms, ≥ 2× better',
      bound: 50,
      twice: true,
    },
    { figure: `POST → frame max @ ${rate}/s`, tidings: t?.latency?.endToEnd.max, baseline: b?.latency?.endToEnd.max, unit: 'ms', goal: '(info)' },
    { figure: `Redis → frame p50 @ ${rate}/s`, tidings: t?.latency?.busToFrame.p50, baseline: b?.latency?.busToFrame.p50, unit: 'ms', goal: '(info)' },
    {
      figure: `Redis → frame p99 @ ${rate}/s`,
      tidings: t?.latency?.busToFrame.p99,
      baseline: b?.latency?.busToFrame.p99,
      unit: 'ms',
      goal: '≤ 6.3 ms (DESIGN floor)',
      bound: 6.3,
    },
    {
      figure: `API throughput @ ${rate}/s`,
      tidings: t?.latency?.throughput,
      baseline: b?.latency?.throughput,
      unit: 'rate',
      goal: `≈ ${rate}/s`,
      pass: t?.latency ? t.latency.throughput >= 0.95 * t.latency.rate : undefined,
    },
    {
      figure: 'frames received / created',
      unit: 'text',
      goal: 'equal',
      text: [framesText(t?.latency), framesText(b?.latency)],
      pass: t?.latency ? framesEqual(t.latency) : undefined,
    },
    ...extraRates(t, b),
    {
      figure: 'broadcast: POST → last frame (median)',
      tidings: t?.broadcast?.medianPostToLast,
      baseline: b?.broadcast?.medianPostToLast,
      unit: 'ms',
      goal: '≤ 500 ms',
      bound: 500,
    },
    {
      figure: 'broadcast: Redis → last frame (median)',
      tidings: t?.broadcast?.medianBusToLast,
      baseline: b?.broadcast?.medianBusToLast,
      unit: 'ms',
      goal: '(info; DESIGN: ≤ 250 ms)',
    },
  ];
  const cells = rows.map((row) => {
    const [tidings, baseline] = row.text ?? [format(row.tidings, row.unit), format(row.baseline, row.unit)];
    const ratio =
      (row.unit === 'KB' || row.unit === 'ms') && row.tidings !== undefined && row.baseline !== undefined && row.tidings > 0
        ? `${(row.baseline / row.tidings).toFixed(2)}×`
        : '—';
    let pass = row.pass;
    if (pass === undefined && row.bound !== undefined && row.tidings !== undefined) {
      pass = row.tidings <= row.bound && (!row.twice || row.baseline === undefined || row.baseline / row.tidings >= 2);
    }
    return [row.figure, tidings, baseline, ratio, `${row.goal}${pass === undefined ? '' : pass ? ' ✔' : ' ✘'}`];
  });
  return markdownTable(['figure', 'Tidings', 'socket.io 4.8 + redis-adapter', 'ratio (baseline / Tidings)', 'goal'], cells);
}

/** A Markdown table with padded columns, readable as printed and pasteable into a README. */
export function markdownTable(header: string[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
