import { markdownTable } from './report.ts';
import type { RateRun } from './sender.ts';
import type { ChurnTotals } from './soak-churn.ts';
import { distribution, type Distribution } from './stats.ts';
import type { DeliveryStats, LatencyRecords, WorkerStats } from './worker-protocol.ts';

export interface Delivery {
  asked: number;
  sent: number;
  created: number;
  failed: number;
  statuses: Record<string, number>;
  firstErrors: string[];
  /** Created per second, first request → last answer. */
  throughput: number;
  /** API answer times: with POST → first frame, tells a slow API (or Postgres) from a slow gateway path. */
  apiAnswerMs: Distribution;
  /** Notification frames that reached a client, replayed or live, duplicates included. */
  framesReceived: number;
  /** Created notifications that reached their user at least once. */
  delivered: number;
  /** Frames whose user and seq had arrived already (the SDK drops them). */
  duplicates: number;
  /** Of those, repeats on one connection: a gateway fault, where the others follow a reopen. */
  sameConnectionDuplicates: number;
  /** Created notifications that never reached their user. */
  lost: number;
  /** Keys of some lost notifications, with their send time (seconds into the traffic), to look them up. */
  lostSamples: { k: number; sentAtS: number }[];
  /** Notifications that arrived although their request got no 201 (a timeout after the commit). */
  arrivedUncreated: number;
  /** Frames that came while an earlier seq of the user was missing. */
  early: number;
  resumes: number;
  replayed: number;
  /** POST → first frame of each delivered notification (replays after a reconnect included). */
  firstFrameMs: Distribution;
  /** The same, by the window the notification was sent in (the warm-up, then each minute): a tail that grows with time shows here. */
  byWindow: { label: string; p50: number; p99: number }[];
  /** Notifications the worker's outbox relay published again (their first publish was not recorded in time). */
  republished: number | undefined;
  unexpectedCloses: number;
  closeCodes: Record<string, number>;
  openAtEnd: number;
}

export interface Window {
  label: string;
  /** Seconds into the traffic. */
  fromS: number;
  toS: number;
}

/** Matches what the API created (`data.k`) against what the load workers received. */
export function tallyDelivery(
  asked: number,
  run: RateRun,
  workers: { records: LatencyRecords[]; seqStats: DeliveryStats[]; stats: WorkerStats[] },
  context: { trafficStartedAt: number; windows: Window[]; republished: number | undefined },
): Delivery {
  const { records, seqStats, stats } = workers;
  const firstArrival = new Float64Array(run.sentAt.length).fill(Number.NaN);
  for (const { keys, arrivals } of records) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const at = arrivals[i]!;
      if (k >= firstArrival.length) continue;
      if (Number.isNaN(firstArrival[k]!) || at < firstArrival[k]!) firstArrival[k] = at;
    }
  }
  let delivered = 0;
  let lost = 0;
  let arrivedUncreated = 0;
  const lostSamples: Delivery['lostSamples'] = [];
  const latencies: number[] = [];
  const windowed = context.windows.map(() => [] as number[]);
  for (let k = 0; k < firstArrival.length; k++) {
    const arrived = !Number.isNaN(firstArrival[k]!);
    if (run.createdKeys[k] === 1) {
      const sentAtS = (run.sentAt[k]! - context.trafficStartedAt) / 1_000;
      if (arrived) {
        delivered++;
        const ms = firstArrival[k]! - run.sentAt[k]!;
        latencies.push(ms);
        const window = context.windows.findIndex((w) => sentAtS >= w.fromS && sentAtS < w.toS);
        if (window >= 0) windowed[window]!.push(ms);
      } else {
        lost++;
        if (lostSamples.length < 10) lostSamples.push({ k, sentAtS: Math.round(sentAtS * 10) / 10 });
      }
    } else if (arrived) arrivedUncreated++;
  }
  const sum = (pick: (s: DeliveryStats) => number) => seqStats.reduce((total, s) => total + pick(s), 0);
  const closeCodes: Record<string, number> = {};
  for (const s of stats) for (const [code, count] of Object.entries(s.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + count;
  return {
    asked,
    sent: run.sent,
    created: run.created,
    failed: run.failed,
    statuses: run.statuses,
    firstErrors: run.firstErrors,
    throughput: run.throughput,
    apiAnswerMs: distribution(run.responseMs),
    framesReceived: sum((s) => s.frames),
    delivered,
    duplicates: sum((s) => s.duplicates),
    sameConnectionDuplicates: sum((s) => s.sameConnectionDuplicates),
    lost,
    lostSamples,
    arrivedUncreated,
    early: sum((s) => s.early),
    resumes: sum((s) => s.resumes),
    replayed: sum((s) => s.replayed),
    firstFrameMs: distribution(latencies),
    byWindow: context.windows.map((w, i) => {
      const d = distribution(windowed[i]!);
      return { label: w.label, p50: d.p50, p99: d.p99 };
    }),
    republished: context.republished,
    unexpectedCloses: stats.reduce((total, s) => total + s.unexpectedCloses, 0),
    closeCodes,
    openAtEnd: stats.reduce((total, s) => total + s.open, 0),
  };
}

const n = (value: number) => value.toLocaleString('en-US');
const ok = (pass: boolean) => (pass ? ' ✔' : ' ✘');

export function deliveryTable(
  d: Delivery,
  churn: ChurnTotals,
  options: { rate: number; connections: number; churnPerSecond: number; seconds: number },
): string {
  const rows: string[][] = [
    ['notifications asked / sent / created', `${n(d.asked)} / ${n(d.sent)} / ${n(d.created)}`, `all created${ok(d.created === d.asked)}`],
    ['API throughput', `${d.throughput.toFixed(0)}/s`, `≈ ${options.rate}/s${ok(d.throughput >= 0.95 * options.rate)}`],
    ['notification frames received', n(d.framesReceived), '(replayed and live)'],
    ['duplicates (same user and seq again; the SDK drops them)', n(d.duplicates), '(info)'],
    ['  of which on the same connection', n(d.sameConnectionDuplicates), `0${ok(d.sameConnectionDuplicates === 0)}`],
    ['lost (created, never received)', n(d.lost), `0${ok(d.lost === 0)}`],
    ['frames past a missing seq (the SDK would ask for the gap)', n(d.early), '(info)'],
    ['republished by the outbox relay', d.republished === undefined ? '—' : n(d.republished), '(info)'],
    [
      'POST → first frame p50 / p99 / max',
      `${d.firstFrameMs.p50.toFixed(1)} / ${d.firstFrameMs.p99.toFixed(1)} / ${d.firstFrameMs.max.toFixed(1)} ms`,
      '(info)',
    ],
    ['API answer p50 / p99 / max', `${d.apiAnswerMs.p50.toFixed(1)} / ${d.apiAnswerMs.p99.toFixed(1)} / ${d.apiAnswerMs.max.toFixed(1)} ms`, '(info)'],
    ['POST → first frame p99 by window', d.byWindow.map((w) => `${w.label} ${w.p99.toFixed(0)}`).join(', ') + ' ms', '(info; flat over time)'],
    [
      'churn: closed and reopened with since',
      `${n(churn.closed)} (${(churn.closed / Math.max(1, options.seconds)).toFixed(1)}/s)`,
      `≈ ${options.churnPerSecond.toFixed(1)}/s${ok(churn.closed >= 0.9 * options.churnPerSecond * options.seconds)}`,
    ],
    ['resumes / notifications replayed', `${n(d.resumes)} / ${n(d.replayed)}`, '(info)'],
    ['churn ticks over their second (slowest)', `${n(churn.slowTicks)} of ${n(churn.ticks)} (${n(churn.slowestTickMs)} ms)`, '(info)'],
    [
      'connections closed by the gateways',
      `${n(d.unexpectedCloses)}${d.unexpectedCloses ? ` ${JSON.stringify(d.closeCodes)}` : ''}`,
      `0${ok(d.unexpectedCloses === 0)}`,
    ],
    [
      'reopens after a drop or a failed reopen / failed reopens',
      `${n(churn.restored)} / ${n(churn.failed)}`,
      `0 / 0${ok(churn.restored === 0 && churn.failed === 0)}`,
    ],
    ['connections open at the end', `${n(d.openAtEnd)} / ${n(options.connections)}`, `all${ok(d.openAtEnd === options.connections)}`],
  ];
  if (d.arrivedUncreated > 0) rows.push(['arrived without a 201 (request timed out after the commit)', n(d.arrivedUncreated), '(info)']);
  return markdownTable(['figure', 'value', 'goal'], rows);
}
