import type { Queue } from 'bullmq';
import type { Sql } from '@tidings/db';
import { createNotifications, type CreateDeps } from '@tidings/domain';
import type { EmailJob } from '@tidings/jobs';
import { createNotificationSchema, type Target } from '@tidings/protocol';
import type { SmtpSink } from '../tests/smtp-sink.ts';
import { cpuSeconds, startCpuWindow, type CpuShares } from './cpu.ts';
import { BENCH_TYPE, addressOf, steadyUser } from './setup.ts';

/** What the bench process needs to create sends the way the API does. */
export interface Driver {
  deps: CreateDeps;
  queue: Queue<EmailJob>;
  sql: Sql;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A typical transactional notification: ~250 bytes of text, a link and some data. */
function send(driver: Driver, to: Target) {
  const input = createNotificationSchema.parse({
    to,
    type: BENCH_TYPE,
    title: 'Your invoice INV-2024-0042 is ready',
    body: 'The invoice for March is ready: 3 seats on the Team plan, 87.00 EUR including VAT, due on 30 April. Pay by card or bank transfer from the billing page; receipts go to the billing contact.',
    action_url: 'https://example.com/billing/invoices/INV-2024-0042',
    data: { invoice: 'INV-2024-0042', amount: 8700, currency: 'EUR' },
  });
  return createNotifications(driver.deps, { createdBy: 'email-bench', input });
}

/** Waits until `count()` reaches `target`; false when it stopped moving for `stallMs`. */
async function waitForCount(count: () => number, target: number, stallMs: number): Promise<boolean> {
  let last = count();
  let lastChange = Date.now();
  while (last < target) {
    await sleep(10);
    const now = count();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      return false;
    }
  }
  return true;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface DrainResult {
  emails: number;
  arrived: number;
  createSeconds: number;
  /** From `resume` (every job already in the queue) to the last acceptance at the sink. */
  seconds: number;
  perSecond: number;
  firstMs: number;
  /** Emails accepted in each whole second after resume. */
  perSecondSeries: number[];
  /** The worker's CPU (cores) in each of those seconds. */
  workerCpuSeries: number[];
  cpu: CpuShares | undefined;
}

/**
 * Throughput: one broadcast creates the backlog through the domain (one `email_logs` row per
 * recipient, written in the create's transaction, then enqueued by the dispatcher) while the queue
 * is paused, so the drain starts with all N jobs waiting; then resume, and time until the sink has
 * accepted all N.
 */
export async function drainBacklog(driver: Driver, sink: SmtpSink, workerPid: number, emails: number, role: string): Promise<DrainResult> {
  await driver.queue.pause();
  const createStarted = performance.now();
  const created = await send(driver, { roles: [role] });
  const createSeconds = (performance.now() - createStarted) / 1000;
  const queued = await driver.queue.count();
  console.log(
    `  broadcast to ${created.result.recipient_count} recipients created and enqueued in ${createSeconds.toFixed(2)} s; ${queued} jobs waiting (queue paused)`,
  );
  if (queued !== emails) throw new Error(`expected ${emails} email jobs in the queue, found ${queued}`);

  const before = sink.messages.length;
  const stopCpu = startCpuWindow(workerPid);
  const started = Date.now();
  const workerCpuSeries: number[] = [];
  let lastCpu = cpuSeconds(workerPid) ?? 0;
  const sampler = setInterval(() => {
    const now = cpuSeconds(workerPid) ?? lastCpu;
    workerCpuSeries.push(now - lastCpu);
    lastCpu = now;
  }, 1_000);
  await driver.queue.resume();
  const complete = await waitForCount(() => sink.messages.length - before, emails, 30_000);
  clearInterval(sampler);
  const cpu = stopCpu();
  const arrivedMessages = sink.messages.slice(before);
  if (!complete) console.log(`  WARNING: only ${arrivedMessages.length} of ${emails} emails arrived; none for 30 s`);
  const times = arrivedMessages.map((message) => message.acceptedAt);
  const last = Math.max(...times);
  const seconds = (last - started) / 1000;
  const perSecondSeries: number[] = [];
  for (const time of times) {
    const second = Math.floor((time - started) / 1000);
    perSecondSeries[second] = (perSecondSeries[second] ?? 0) + 1;
  }
  return {
    emails,
    arrived: arrivedMessages.length,
    createSeconds,
    seconds,
    perSecond: arrivedMessages.length / seconds,
    firstMs: Math.min(...times) - started,
    perSecondSeries: Array.from(perSecondSeries, (count) => count ?? 0),
    workerCpuSeries,
    cpu,
  };
}

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function latencies(values: number[]): Latencies {
  const sorted = values.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export interface SteadyResult {
  rate: number;
  seconds: number;
  /** The latest a create left after its scheduled time (the driver's own lag), ms. */
  launchLagMax: number;
  measured: number;
  arrived: number;
  createErrors: number;
  /** Create called (≈ the log's queued_at) → accepted at the sink. */
  endToEnd: Latencies;
  /** Create returned (its jobs are in the queue) → accepted at the sink. */
  fromEnqueued: Latencies;
  /** How long the create (transaction, publish, enqueue) took. */
  create: Latencies;
  cpu: CpuShares | undefined;
}

interface Sent {
  scheduled: number;
  returned?: number;
  measured: boolean;
}

/**
 * Latency: single-recipient sends at a steady rate in an open loop (each leaves at its scheduled
 * time whether or not earlier ones finished), each to its own recipient; the first `warmup`
 * seconds are not measured. Latency runs from the scheduled create to the sink's acceptance.
 */
export async function steadyLoad(
  driver: Driver,
  sink: SmtpSink,
  workerPid: number,
  options: { rate: number; seconds: number; warmup: number },
): Promise<SteadyResult> {
  const warmupCount = Math.round(options.rate * options.warmup);
  const total = warmupCount + Math.round(options.rate * options.seconds);
  const sent = new Map<string, Sent>();
  const before = sink.messages.length;
  let createErrors = 0;
  let launched = 0;
  let stopCpu: (() => CpuShares | undefined) | undefined;
  let launchLagMax = 0;
  const start = Date.now();
  while (launched < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) * options.rate) / 1000) + 1);
    for (; launched < due; launched++) {
      if (launched === warmupCount) stopCpu = startCpuWindow(workerPid);
      const record: Sent = { scheduled: start + (launched * 1000) / options.rate, measured: launched >= warmupCount };
      if (record.measured) launchLagMax = Math.max(launchLagMax, Date.now() - record.scheduled);
      const user = steadyUser(launched + 1);
      sent.set(addressOf(user), record);
      send(driver, { user_ids: [user] }).then(
        () => (record.returned = Date.now()),
        (error: Error) => {
          createErrors += 1;
          if (createErrors <= 3) console.log(`  create failed: ${error.message}`);
        },
      );
    }
    await sleep(5);
  }
  const cpu = stopCpu?.();
  await waitForCount(() => sink.messages.length - before, total, 30_000);

  const arrivedAt = new Map<string, number>();
  for (const message of sink.messages.slice(before)) {
    const address = message.to[0] ?? '';
    if (sent.has(address) && !arrivedAt.has(address)) arrivedAt.set(address, message.acceptedAt);
  }
  const endToEnd: number[] = [];
  const fromEnqueued: number[] = [];
  const create: number[] = [];
  let measured = 0;
  for (const [address, record] of sent) {
    if (!record.measured) continue;
    measured += 1;
    if (record.returned !== undefined) create.push(record.returned - record.scheduled);
    const accepted = arrivedAt.get(address);
    if (accepted === undefined) continue;
    endToEnd.push(accepted - record.scheduled);
    if (record.returned !== undefined) fromEnqueued.push(accepted - record.returned);
  }
  return {
    rate: options.rate,
    seconds: options.seconds,
    launchLagMax,
    measured,
    arrived: endToEnd.length,
    createErrors,
    endToEnd: latencies(endToEnd),
    fromEnqueued: latencies(fromEnqueued),
    create: latencies(create),
    cpu,
  };
}
