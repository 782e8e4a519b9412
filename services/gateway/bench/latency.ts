import { ApiClient, sendAtRate } from './sender.ts';
import { sleep } from './setup.ts';
import { CpuMeter, diffHistogram, distribution, histogramQuantile, parseHistogram, type Distribution, type Histogram } from './stats.ts';
import type { RunningSystem } from './systems.ts';
import type { BusTap } from './tap.ts';
import type { LoadWorker } from './workers.ts';

export interface LatencyResult {
  rate: number;
  seconds: number;
  requestBytes: number;
  sent: number;
  created: number;
  /** Notifications the API created per second (first request → last answer). */
  throughput: number;
  failed: number;
  statuses: Record<string, number>;
  firstErrors: string[];
  /** Frames carrying a latency key that reached a client (all connections), and distinct keys among them. */
  framesReceived: number;
  distinctReceived: number;
  /** POST sent → frame at the client (ms). */
  endToEnd: Distribution;
  /** Published on Redis → frame at the client (ms): the gateway path alone. */
  busToFrame: Distribution;
  /** POST sent → published on Redis (ms): the API's share. */
  postToBus: Distribution;
  /** API answer time as the sender saw it (ms). */
  apiResponse: Distribution;
  /** The gateway's own `tidings_delivery_latency_seconds` (created → written), bucket bounds in ms; Tidings only. */
  gatewayHistogram?: { count: number; meanMs: number; p50UpToMs: number; p99UpToMs: number };
  cpu: Record<string, number>;
}

async function deliveryHistogram(running: RunningSystem): Promise<Histogram | undefined> {
  if (running.system !== 'tidings') return undefined;
  const texts = await Promise.all(running.gateways.map((g) => fetch(`${g.url}/metrics`).then((res) => res.text())));
  return parseHistogram(texts, 'tidings_delivery_latency_seconds');
}

/** Steady single-recipient notifications through the API; every frame timed at the client. */
export async function runLatency(
  running: RunningSystem,
  workers: LoadWorker[],
  client: ApiClient,
  tap: BusTap,
  cpu: CpuMeter,
  options: { rate: number; seconds: number; users: number },
): Promise<LatencyResult> {
  await Promise.all(workers.map((w) => w.call({ op: 'resetLatency' })));
  tap.reset();
  const before = await deliveryHistogram(running);
  cpu.start();
  const run = await sendAtRate(client, options);
  const cpuShares = cpu.stop();
  await sleep(3_000); // frames still on their way
  const after = await deliveryHistogram(running);

  const endToEnd: number[] = [];
  const busToFrame: number[] = [];
  const postToBus: number[] = [];
  const seen = new Set<number>();
  let framesReceived = 0;
  for (const records of await Promise.all(workers.map((w) => w.latency()))) {
    for (let i = 0; i < records.keys.length; i++) {
      const k = records.keys[i]!;
      const arrival = records.arrivals[i]!;
      framesReceived++;
      seen.add(k);
      const sent = run.sentAt[k];
      if (sent !== undefined && !Number.isNaN(sent)) endToEnd.push(arrival - sent);
      const published = tap.published.get(k);
      if (published !== undefined) busToFrame.push(arrival - published);
    }
  }
  for (const [k, published] of tap.published) {
    const sent = run.sentAt[k];
    if (sent !== undefined && !Number.isNaN(sent)) postToBus.push(published - sent);
  }
  let gatewayHistogram: LatencyResult['gatewayHistogram'];
  if (before && after) {
    const h = diffHistogram(after, before);
    gatewayHistogram = {
      count: h.count,
      meanMs: (h.sum / Math.max(1, h.count)) * 1_000,
      p50UpToMs: histogramQuantile(h, 0.5) * 1_000,
      p99UpToMs: histogramQuantile(h, 0.99) * 1_000,
    };
  }
  return {
    rate: options.rate,
    seconds: options.seconds,
    requestBytes: run.requestBytes,
    sent: run.sent,
    created: run.created,
    throughput: run.throughput,
    failed: run.failed,
    statuses: run.statuses,
    firstErrors: run.firstErrors,
    framesReceived,
    distinctReceived: seen.size,
    endToEnd: distribution(endToEnd),
    busToFrame: distribution(busToFrame),
    postToBus: distribution(postToBus),
    apiResponse: distribution(run.responseMs),
    gatewayHistogram,
    cpu: cpuShares,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const dist = (d: Distribution) => `p50 ${ms(d.p50)}  p90 ${ms(d.p90)}  p99 ${ms(d.p99)}  p99.9 ${ms(d.p999)}  max ${ms(d.max)}  (n=${d.count})`;

export function describeLatency(r: LatencyResult): string {
  const lines = [
    `  sent ${r.sent} (${r.created} created, ${r.failed} failed${r.failed ? `: ${r.firstErrors.join(' | ')}` : ''}), ~${r.requestBytes}-byte requests at ${r.rate}/s for ${r.seconds} s; the API kept up with ${r.throughput.toFixed(0)}/s`,
    `  frames received ${r.framesReceived} (distinct ${r.distinctReceived}) vs created ${r.created}: ${r.framesReceived === r.created && r.distinctReceived === r.created ? 'equal' : 'MISMATCH'}`,
    `  POST → frame      ${dist(r.endToEnd)}`,
    `  Redis → frame     ${dist(r.busToFrame)}`,
    `  POST → Redis      ${dist(r.postToBus)}`,
    `  API answer        ${dist(r.apiResponse)}`,
  ];
  if (r.gatewayHistogram) {
    const h = r.gatewayHistogram;
    lines.push(`  gateway metric tidings_delivery_latency_seconds: n=${h.count}, mean ${ms(h.meanMs)}, p50 ≤ ${ms(h.p50UpToMs)}, p99 ≤ ${ms(h.p99UpToMs)}`);
  }
  lines.push(
    `  CPU (cores) during the run: ${Object.entries(r.cpu)
      .map(([name, share]) => `${name} ${share.toFixed(2)}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}
