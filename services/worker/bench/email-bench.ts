/**
 * Email worker benchmark: one worker process sending to a local SMTP sink. Prints the throughput
 * of draining a backlog and the latency at a steady rate, with the CPU each process used, and
 * checks that every email arrived exactly once. See README.md.
 *
 *   pnpm bench:email [--emails=5000] [--warmup-emails=500] [--rate=100] [--seconds=20] [--warmup=2]
 *                    [--concurrency=N] [--log-level=warn] [--cpu-prof] [--keep]
 */
import os from 'node:os';
import { RedisBroker, RedisOfflineQueue, channelsFor } from '@tidings/cluster';
import { loadConfig, type Config } from '@tidings/config';
import { createDatabase } from '@tidings/db';
import { EventPublisher } from '@tidings/domain';
import { bullEmailOutbox, emailQueue } from '@tidings/jobs';
import { createLogger, createRedis } from '@tidings/server-kit';
import { clearRedisPrefix } from '@tidings/test-support/bench';
import { messageIdDomain } from '../src/email.ts';
import { SmtpSink } from '../tests/smtp-sink.ts';
import { checkQuiet, disturbed, formatCpu, startCpuWindow, type CpuShares } from './cpu.ts';
import { drainBacklog, steadyLoad, type Driver, type Latencies } from './phases.ts';
import {
  BULK_ROLE,
  WARM_ROLE,
  benchDatabaseUrl,
  dropDatabase,
  lockBenchRun,
  profilesDir,
  recreateDatabase,
  seedRecipients,
  startWorkerChild,
  timed,
  uniqueRedisPrefix,
  type WorkerChild,
} from './setup.ts';

const GOAL_PER_SECOND = 300;
const GOAL_P95_MS = 1_000;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseArgs(argv: readonly string[]) {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const positive = (name: string, fallback: number) => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} needs a positive number`);
    return parsed;
  };
  const logLevel = value('log-level') ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`--log-level: one of ${LOG_LEVELS.join(', ')}`);
  const concurrency = value('concurrency');
  return {
    emails: Math.round(positive('emails', 5_000)),
    warmupEmails: value('warmup-emails') === '0' ? 0 : Math.round(positive('warmup-emails', 500)),
    rate: positive('rate', 100),
    seconds: positive('seconds', 20),
    warmup: value('warmup') === '0' ? 0 : positive('warmup', 2),
    concurrency: concurrency === undefined ? undefined : Math.round(positive('concurrency', 16)),
    logLevel,
    cpuProfile: argv.includes('--cpu-prof'),
    keep: argv.includes('--keep'),
  };
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number) => (ms >= 1_000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtLatencies = (l: Latencies) => `p50 ${fmtMs(l.p50)}, p95 ${fmtMs(l.p95)}, p99 ${fmtMs(l.p99)}, max ${fmtMs(l.max)}`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

function table(rows: string[][]): string {
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]! + 3))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** The creating side of the API, in this process: same publisher, queue and email outbox wiring. */
function startDriver(config: Config, databaseUrl: string, prefix: string): Driver & { close(): Promise<void> } {
  const logger = createLogger('email-bench', 'warn');
  const database = createDatabase(databaseUrl, { max: 10, applicationName: 'tidings-emailbench-driver' });
  const redis = createRedis(config.REDIS_URL, logger, { name: 'emailbench', failFast: true });
  const broker = new RedisBroker(redis, () => createRedis(config.REDIS_URL, logger, { name: 'emailbench-sub' }), logger);
  const publisher = new EventPublisher(broker, channelsFor(prefix), database.sql, logger, new RedisOfflineQueue(redis, prefix, config.OFFLINE_QUEUE_SIZE));
  const queue = emailQueue(redis, prefix);
  const emailOutbox = bullEmailOutbox(database.sql, queue, { attempts: config.EMAIL_MAX_ATTEMPTS, backoffMs: config.EMAIL_RETRY_BASE_MS });
  return {
    sql: database.sql,
    queue,
    deps: { sql: database.sql, publisher, emailOutbox, logger, broadcastThreshold: config.BROADCAST_THRESHOLD },
    close: async () => {
      await publisher.flush();
      await queue.close();
      await broker.close();
      redis.disconnect();
      await database.close();
    },
  };
}

interface Delivery {
  messages: number;
  distinct: number;
  logs: number;
  sentLogs: number;
  /** Logs whose Message-ID never reached the sink. */
  missing: number;
  /** Messages at the sink that match no log. */
  unknown: number;
  retried: number;
  statuses: Record<string, number>;
  jobs: Record<string, number>;
}

/** Every `email_logs` row against what the sink received, by Message-ID (`<log id@domain>`). */
async function checkDelivery(driver: Driver, sink: SmtpSink, domain: string): Promise<Delivery> {
  const logs = await driver.sql<{ id: string; status: string; attempts: number }[]>`select id, status, attempts from email_logs`;
  const received = new Set(sink.messages.map((message) => message.messageId));
  const expected = new Set(logs.map((log) => `<${log.id}@${domain}>`));
  const statuses: Record<string, number> = {};
  for (const log of logs) statuses[log.status] = (statuses[log.status] ?? 0) + 1;
  const jobs = await driver.queue.getJobCounts('completed', 'failed', 'delayed', 'active', 'wait');
  return {
    messages: sink.messages.length,
    distinct: received.size,
    logs: logs.length,
    sentLogs: statuses.sent ?? 0,
    missing: [...expected].filter((id) => !received.has(id)).length,
    unknown: [...received].filter((id) => !expected.has(id)).length,
    retried: logs.filter((log) => log.attempts > 1).length,
    statuses,
    jobs,
  };
}

/** The worker's own view: outcomes and the SMTP send time (Mailer.send), from /metrics. */
async function workerMetrics(worker: WorkerChild): Promise<string> {
  const text = await fetch(`${worker.url}/metrics`).then(
    (res) => res.text(),
    () => '',
  );
  const outcomes = [...text.matchAll(/^tidings_email_sent_total\{[^}]*status="(\w+)"[^}]*\} (\d+)/gm)].map(([, status, count]) => `${status} ${count}`);
  const sum = Number(/^tidings_email_send_duration_seconds_sum(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1]);
  const count = Number(/^tidings_email_send_duration_seconds_count(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1]);
  const mean = count > 0 ? `, mean SMTP send (Mailer.send) ${((sum / count) * 1000).toFixed(1)} ms over ${fmtInt(count)}` : '';
  return `worker metrics: ${outcomes.join(', ') || 'n/a'}${mean}`;
}

function cpuPerEmail(cpu: CpuShares | undefined, emails: number): string {
  if (!cpu) return 'n/a';
  return `${cpu.worker.toFixed(2)} cores, ${((cpu.workerSeconds * 1000) / emails).toFixed(2)} ms CPU per email`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const runStarted = performance.now();
  const config = loadConfig();
  const databaseUrl = benchDatabaseUrl();
  const prefix = uniqueRedisPrefix();
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, node ${process.version}`;
  console.log(`Tidings email worker benchmark — ${machine}`);
  console.log(`options: ${JSON.stringify(options)}; database ${databaseUrl.replace(/\/\/[^@]*@/, '//…@')}; redis prefix ${prefix}\n`);

  const unlock = await lockBenchRun(databaseUrl);
  let sink: SmtpSink | undefined;
  let worker: WorkerChild | undefined;
  let driver: (Driver & { close(): Promise<void> }) | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await worker?.stop().catch(() => {});
      await driver?.close().catch(() => {});
      await sink?.close().catch(() => {});
      // Commands a closing client had already sent can still land during the first SCAN: sweep until clean.
      let removed = 0;
      for (let pass = 0, last = -1; pass < 5 && last !== 0; pass++) {
        if (pass > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        last = await clearRedisPrefix(config.REDIS_URL, prefix).catch(() => 0);
        removed += last;
      }
      console.log(`cleanup: worker stopped, ${removed} Redis keys under ${prefix} deleted`);
      if (options.keep) console.log(`kept database ${databaseUrl}`);
      else await dropDatabase(databaseUrl).catch((error: Error) => console.error(`could not drop the database: ${error.message}`));
      await unlock().catch(() => {});
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const steadyCount = Math.round(options.rate * (options.warmup + options.seconds));
    console.log('setup');
    await timed('recreate and migrate the database', () => recreateDatabase(databaseUrl));
    await timed(`seed ${fmtInt(options.warmupEmails)} warm-up + ${fmtInt(options.emails)} bulk + ${fmtInt(steadyCount)} steady recipients with addresses`, () =>
      seedRecipients(databaseUrl, { warm: options.warmupEmails, bulk: options.emails, steady: steadyCount }),
    );
    sink = await new SmtpSink({ countOnly: true }).start();
    const workerEnv: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: prefix,
      SMTP_URL: sink.url,
      LOG_LEVEL: options.logLevel,
      ...(options.concurrency === undefined ? {} : { EMAIL_CONCURRENCY: String(options.concurrency) }),
    };
    const workerConfig = loadConfig({ ...process.env, ...workerEnv });
    const concurrency = workerConfig.EMAIL_CONCURRENCY;
    const connections = Math.min(concurrency, 10);
    worker = await timed('start the worker child and wait for /readyz', () => startWorkerChild(workerEnv, { cpuProfile: options.cpuProfile }));
    console.log(
      `  worker pid ${worker.pid}, EMAIL_CONCURRENCY ${concurrency}, ${connections} pooled SMTP connections, LOG_LEVEL ${options.logLevel}; sink ${sink.url}`,
    );
    driver = startDriver(config, databaseUrl, prefix);
    const stopIdle = startCpuWindow(worker.pid);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    console.log(`  worker idle for 3 s (maintenance sweeps only): ${stopIdle()?.worker.toFixed(3) ?? 'n/a'} cores`);

    if (options.warmupEmails > 0) {
      console.log(`\nwarm-up (not measured): drain ${fmtInt(options.warmupEmails)} emails, so the worker's first templates compile and its code is optimised`);
      const warm = await drainBacklog(driver, sink, worker.pid, options.warmupEmails, WARM_ROLE);
      console.log(
        `  ${fmtInt(warm.arrived)} accepted in ${warm.seconds.toFixed(2)} s: ${fmtInt(warm.perSecond)} emails/s; per second: ${warm.perSecondSeries.join(' ')}`,
      );
    }

    console.log(`\nthroughput: drain a backlog of ${fmtInt(options.emails)} emails`);
    const drain = await drainBacklog(driver, sink, worker.pid, options.emails, BULK_ROLE);
    console.log(
      `  ${fmtInt(drain.arrived)} accepted in ${drain.seconds.toFixed(2)} s after resume: ${fmtInt(drain.perSecond)} emails/s; first after ${fmtMs(drain.firstMs)}`,
    );
    console.log(`  emails per second: ${drain.perSecondSeries.join(' ')}`);
    console.log(`  worker cores per second: ${drain.workerCpuSeries.map((cores) => cores.toFixed(2)).join(' ')}`);
    console.log(`  ${formatCpu(drain.cpu)}; worker ${cpuPerEmail(drain.cpu, drain.arrived)}`);
    checkQuiet('throughput', drain.cpu);

    console.log(`\nlatency: ${options.rate} emails/s for ${options.seconds} s (after ${options.warmup} s unmeasured), one single-recipient send each`);
    const steady = await steadyLoad(driver, sink, worker.pid, options);
    console.log(
      `  ${fmtInt(steady.arrived)} of ${fmtInt(steady.measured)} measured emails arrived; create errors ${steady.createErrors}; driver lag max ${fmtMs(steady.launchLagMax)}`,
    );
    console.log(`  create called → accepted at the sink: ${fmtLatencies(steady.endToEnd)}`);
    console.log(`  create returned (jobs enqueued) → accepted: ${fmtLatencies(steady.fromEnqueued)}`);
    console.log(`  create (transaction, publish, enqueue): ${fmtLatencies(steady.create)}`);
    console.log(`  ${formatCpu(steady.cpu)}; worker ${cpuPerEmail(steady.cpu, steady.measured)}`);
    checkQuiet('latency', steady.cpu);

    await new Promise((resolve) => setTimeout(resolve, 2_000)); // late duplicates would show up here
    const delivery = await checkDelivery(driver, sink, messageIdDomain(workerConfig.EMAIL_FROM, workerConfig.PUBLIC_URL));
    const once = delivery.messages === delivery.distinct && delivery.missing === 0 && delivery.unknown === 0 && delivery.sentLogs === delivery.logs;
    console.log('\nexactly once');
    console.log(
      `  sink: ${fmtInt(delivery.messages)} messages, ${fmtInt(delivery.distinct)} distinct Message-IDs; email_logs: ${fmtInt(delivery.logs)} rows ${JSON.stringify(delivery.statuses)}, ` +
        `${delivery.missing} never arrived, ${delivery.unknown} unknown at the sink, ${delivery.retried} tried more than once`,
    );
    console.log(`  queue: ${JSON.stringify(delivery.jobs)}`);
    console.log(`  ${await workerMetrics(worker)}${worker.quietLines() > 0 ? `; ${fmtInt(worker.quietLines())} log lines below warn` : ''}`);

    console.log(`\nsummary (one worker, EMAIL_CONCURRENCY ${concurrency}, ${connections} SMTP connections, LOG_LEVEL ${options.logLevel})\n`);
    console.log(
      table([
        ['figure', 'result', 'goal'],
        [
          `throughput, backlog of ${fmtInt(options.emails)}`,
          `${fmtInt(drain.perSecond)} emails/s (${drain.seconds.toFixed(1)} s)`,
          `≥ ${GOAL_PER_SECOND}/s: ${mark(drain.perSecond >= GOAL_PER_SECOND)}`,
        ],
        ['worker CPU while draining', cpuPerEmail(drain.cpu, drain.arrived), '(info)'],
        [
          `latency at ${options.rate}/s, create → SMTP accepted`,
          fmtLatencies(steady.endToEnd),
          `p95 < ${fmtMs(GOAL_P95_MS)}: ${mark(steady.endToEnd.p95 < GOAL_P95_MS)}`,
        ],
        [`worker CPU at ${options.rate}/s`, cpuPerEmail(steady.cpu, steady.measured), '(info)'],
        [
          'every email exactly once',
          `${fmtInt(delivery.messages)} messages, ${fmtInt(delivery.distinct)} distinct, ${fmtInt(delivery.sentLogs)}/${fmtInt(delivery.logs)} logs sent`,
          `equal: ${mark(once)}`,
        ],
      ]),
    );
    if (disturbed.length > 0) console.log(`\nWARNING: other processes competed for the CPU during: ${disturbed.join(', ')}; rerun on a quiet machine`);
    console.log(`\nmachine: ${machine}`);
  } finally {
    await cleanup();
    if (options.cpuProfile) console.log(`CPU profile of the worker written to ${profilesDir}/`);
    console.log(`total run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('benchmark failed:', error);
    process.exit(1);
  },
);
