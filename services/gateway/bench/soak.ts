/**
 * Soak benchmark: the API, two gateways and the worker as child processes; N WebSocket clients,
 * one per user, under steady notification traffic and connection churn (every reopen resumes with
 * `since`) for many minutes; each process's memory read every minute; every notification
 * accounted for at the end. See "Soak" in README.md in this folder.
 *
 *   pnpm bench:soak [--connections 10000] [--minutes 10] [--rate 200] [--churn 1] …
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createSigner } from '@tidings/auth';
import { clearRedisPrefix, lockBenchRun, recreateDatabase } from '@tidings/test-support/bench';
import { killAllChildren } from './children.ts';
import { machineInfo } from './report.ts';
import { ApiClient, sendAtRate } from './sender.ts';
import { benchDatabaseUrl, dropDatabase, jwtSecret, REDIS_URL, seedRecipients, sleep, wallNow } from './setup.ts';
import { churnEverySecond } from './soak-churn.ts';
import { describeReading, growth, growthTable, readMemory, type Reading } from './soak-memory.ts';
import { parseSoakOptions } from './soak-options.ts';
import { deliveryTable, tallyDelivery, type Window } from './soak-report.ts';
import { CpuMeter, machineBusySeconds, parseGauge } from './stats.ts';
import { startApi, startTidings, startWorker, type Endpoint, type RunningSystem } from './systems.ts';
import { connectAll, LoadWorker } from './workers.ts';
import type { Target } from './worker-protocol.ts';

const SOAK_DB = 'tidings_soak';
const SOAK_PREFIX = 'tidings_soak:';
/** After the last answer and the last reopen: time for frames still on their way. */
const STRAGGLERS_MS = 5_000;

const options = parseSoakOptions(process.argv.slice(2));
const command = `pnpm bench:soak ${process.argv.slice(2).join(' ')}`.trim();
const databaseUrl = benchDatabaseUrl(SOAK_DB);
const startedAt = Date.now();
const log = (line: string) => console.log(line);

const resources: {
  unlock?: () => Promise<void>;
  api?: Endpoint;
  gateways?: RunningSystem;
  worker?: Endpoint;
  loadWorkers: LoadWorker[];
  client?: ApiClient;
  churn?: { stop(): Promise<unknown> };
} = { loadWorkers: [] };

let cleaningUp: Promise<void> | undefined;
/** Stops every child; with the run lock held, drops the soak database and clears its Redis keys. Idempotent. */
function cleanup(): Promise<void> {
  return (cleaningUp ??= (async () => {
    // A churn pass in hand finishes first (a reopen takes well under a second), so no reopen races the shutdown.
    await Promise.race([resources.churn?.stop(), sleep(5_000)]);
    await Promise.allSettled(resources.loadWorkers.map((w) => w.shutdown()));
    await resources.gateways?.stop().catch(() => {});
    await resources.worker?.service.stop().catch(() => {});
    await resources.api?.service.stop().catch(() => {});
    killAllChildren();
    await resources.client?.close().catch(() => {});
    // Without the lock the database and keys are another run's: leave them alone.
    if (!resources.unlock) return;
    await dropDatabase(databaseUrl).catch((error: unknown) => log(`could not drop ${databaseUrl}: ${(error as Error).message}`));
    await clearRedisPrefix(REDIS_URL, SOAK_PREFIX).catch(() => 0);
    await resources.unlock().catch(() => {});
  })());
}

let aborting = false;
function abort(reason: string, code: number): void {
  if (aborting) return;
  aborting = true;
  log(`\n${reason}; stopping children and cleaning up…`);
  const hard = setTimeout(() => process.exit(code), 30_000);
  hard.unref();
  void cleanup().finally(() => process.exit(code));
}
const fail = (error: unknown) => {
  // Once stopping, calls to children that are gone fail by design.
  if (aborting) return;
  console.error(error);
  abort('the soak failed', 1);
};
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
process.on('unhandledRejection', fail);
setTimeout(() => abort(`time limit of ${options.maxMinutes} min reached`, 124), options.maxMinutes * 60_000).unref();

async function startProcesses(): Promise<Endpoint[]> {
  resources.api = await startApi(databaseUrl, SOAK_PREFIX);
  resources.gateways = await startTidings(databaseUrl, false, SOAK_PREFIX);
  resources.worker = await startWorker(databaseUrl, SOAK_PREFIX);
  const [first, second] = resources.gateways.gateways;
  return [resources.api, { ...first!, name: 'gateway-1' }, { ...second!, name: 'gateway-2' }, resources.worker];
}

/** Notifications the worker's outbox relay published again: a copy reaches the user if the first publish did too. */
async function republished(): Promise<number | undefined> {
  const res = await fetch(`${resources.worker!.url}/metrics`);
  return parseGauge(await res.text(), 'tidings_outbox_republished_total');
}

async function main(): Promise<void> {
  log(`soak bench: ${machineInfo()}`);
  log(`command: ${command}`);
  resources.unlock = await lockBenchRun(databaseUrl, SOAK_DB, { exclusive: true });
  log(`setting up ${SOAK_DB} with ${options.connections} recipients…`);
  await recreateDatabase(databaseUrl);
  await seedRecipients(databaseUrl, options.connections);
  await clearRedisPrefix(REDIS_URL, SOAK_PREFIX);
  const processes = await startProcesses();
  log(`started ${processes.map((p) => `${p.name} (pid ${p.service.pid})`).join(', ')}`);
  const sign = createSigner({ JWT_SECRET: jwtSecret(), JWT_PUBLIC_KEY: undefined, JWT_PRIVATE_KEY: undefined, JWT_ISSUER: undefined, JWT_AUDIENCE: undefined });
  const client = new ApiClient(resources.api!.url, sign({ sub: 'soak', scope: 'notifications:publish', expiresIn: 6 * 3_600 }), options.httpConnections);
  resources.client = client;

  const workers = await Promise.all(
    Array.from({ length: options.workers }, (_, i) => LoadWorker.start(i, 'tidings', jwtSecret(), options.connectConcurrency, { trackSeqs: true })),
  );
  resources.loadWorkers = workers;
  const gateways = resources.gateways!.gateways;
  const targets: Target[] = Array.from({ length: options.connections }, (_, j) => [j, gateways[j % 2]!.url]);
  const connected = await connectAll(workers, 0, targets);
  log(
    `connected ${connected.connected}/${targets.length} in ${(connected.ms / 1000).toFixed(1)} s${connected.failed ? ` (${connected.failed} failed: ${connected.errors.join(' | ')})` : ''}`,
  );
  if (connected.failed > targets.length * 0.01) throw new Error('more than 1% of the connections failed; see the errors above');

  const seconds = options.warmupSeconds + options.minutes * 60;
  const churnPerSecond = (options.connections * options.churn) / 100;
  log(
    `traffic: ${options.rate}/s for ${seconds} s (${options.warmupSeconds} s warm-up, then ${options.minutes} min); churn ${churnPerSecond.toFixed(1)} connections/s`,
  );
  const cpu = CpuMeter.withServers(() => ({
    api: [resources.api!.service.pid],
    gateways: gateways.map((g) => g.service.pid),
    worker: [resources.worker!.service.pid],
    'load workers': workers.map((w) => w.service.pid),
    bench: [process.pid],
  }));
  cpu.start();
  const machineBefore = machineBusySeconds();
  const trafficStartedAt = wallNow();
  const t0 = performance.now();
  const traffic = sendAtRate(client, { rate: options.rate, seconds, users: options.connections });
  const churn = churnEverySecond(workers, churnPerSecond, fail);
  resources.churn = churn;

  const readings: Reading[] = [];
  const readAt = async (label: string, atS: number) => {
    await sleep(Math.max(0, t0 + atS * 1_000 - performance.now()));
    const memory = await readMemory(processes, options.settleMs);
    const reading: Reading = { label, atS: (performance.now() - t0) / 1_000, processes: memory };
    readings.push(reading);
    log(describeReading(reading));
  };
  await readAt('after warm-up', options.warmupSeconds);
  for (let minute = 1; minute <= options.minutes; minute++) await readAt(`minute ${minute}`, options.warmupSeconds + minute * 60);

  const run = await traffic;
  const churnTotals = await churn.stop();
  const cpuShares = { ...cpu.stop(), machine: (machineBusySeconds() - machineBefore) / ((performance.now() - t0) / 1_000) };
  // One last pass reopens whatever is still down, so that its resume fetches what it missed.
  for (const result of await Promise.all(workers.map((w) => w.churn(0, 0)))) {
    churnTotals.restored += result.restored;
    churnTotals.failed += result.failed;
  }
  await sleep(STRAGGLERS_MS);
  const [records, seqStats, stats] = await Promise.all([
    Promise.all(workers.map((w) => w.latency())),
    Promise.all(workers.map((w) => w.delivery())),
    Promise.all(workers.map((w) => w.stats())),
  ]);
  const windows: Window[] = [
    ...(options.warmupSeconds > 0 ? [{ label: 'warm-up', fromS: 0, toS: options.warmupSeconds }] : []),
    ...Array.from({ length: options.minutes }, (_, m) => ({
      label: `min ${m + 1}`,
      fromS: options.warmupSeconds + m * 60,
      toS: options.warmupSeconds + (m + 1) * 60,
    })),
  ];
  const delivery = tallyDelivery(
    Math.round(options.rate * seconds),
    run,
    { records, seqStats, stats },
    { trafficStartedAt, windows, republished: await republished() },
  );
  const memory = growth(readings);

  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  log(
    `\n=== soak summary (${options.connections} connections over 2 gateways; ${options.rate}/s; churn ${options.churn} %/s; ${options.warmupSeconds} s warm-up + ${options.minutes} min) ===`,
  );
  log(growthTable(memory));
  log('');
  log(deliveryTable(delivery, churnTotals, { rate: options.rate, connections: options.connections, churnPerSecond, seconds }));
  if (delivery.failed) log(`\nfailed requests: ${JSON.stringify(delivery.statuses)}; first: ${delivery.firstErrors.join(' | ')}`);
  if (churnTotals.firstErrors.length) log(`reopen errors: ${churnTotals.firstErrors.join(' | ')}`);
  log(
    `\nCPU over the traffic, cores busy: ${Object.entries(cpuShares)
      .map(([name, share]) => `${name} ${share.toFixed(2)}`)
      .join(', ')} (of ${cpus().length}; postgres, redis and machine include every other user of this box)`,
  );
  if (delivery.lostSamples.length)
    log(`lost, first keys (data.k @ seconds into the traffic): ${delivery.lostSamples.map((s) => `${s.k} @ ${s.sentAtS} s`).join(', ')}`);
  log(`\nmachine: ${machineInfo()}`);
  log(`command: ${command}`);
  log(`run time: ${minutes} min`);
  if (options.json) {
    writeFileSync(
      options.json,
      JSON.stringify(
        { machine: machineInfo(), command, minutes: Number(minutes), options, readings, memory, delivery, churn: churnTotals, cpu: cpuShares },
        null,
        2,
      ),
    );
    log(`figures written to ${options.json}`);
  }
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  fail(error);
}
