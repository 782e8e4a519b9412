/**
 * Gateway benchmark: Tidings' gateway against a socket.io 4.8 + redis-adapter baseline, both fed by
 * the real Tidings API. See README.md in this folder for what is measured and how to read it.
 *
 *   pnpm bench:gateway [--connections 10000] [--only tidings|baseline] …
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createSigner } from '@tidings/auth';
import { describeBroadcasts, runBroadcasts } from './broadcast.ts';
import { killAllChildren } from './children.ts';
import { describeLatency, runLatency } from './latency.ts';
import { clearRedisPrefix } from '@tidings/test-support/bench';
import { describeMemory, marginal, memoryPoint, settledStats } from './memory.ts';
import { parseOptions, type BenchOptions, type System } from './options.ts';
import { describeProfile, latestProfiles, monotonicUs, summarise, type Window } from './profile.ts';
import { comparisonTable, machineInfo, type SystemResult } from './report.ts';
import { ApiClient, sendAtRate } from './sender.ts';
import { benchDatabaseUrl, dropDatabase, jwtSecret, REDIS_PREFIX, REDIS_URL, recreateDatabase, seedRecipients, sleep } from './setup.ts';
import { CpuMeter } from './stats.ts';
import { startApi, startSystem, type Endpoint, type RunningSystem } from './systems.ts';
import { BusTap } from './tap.ts';
import { connectAll, LoadWorker } from './workers.ts';
import type { Target } from './worker-protocol.ts';

const options = parseOptions(process.argv.slice(2));
const command = `pnpm bench:gateway ${process.argv.slice(2).join(' ')}`.trim();
const databaseUrl = benchDatabaseUrl();
const startedAt = Date.now();
const log = (line: string) => console.log(line);

let cleaningUp: Promise<void> | undefined;
const resources: { api?: Endpoint; system?: RunningSystem; workers: LoadWorker[]; tap?: BusTap; client?: ApiClient } = { workers: [] };

/** Stops every child, drops the bench database and clears the bench's Redis keys. Idempotent. */
function cleanup(): Promise<void> {
  return (cleaningUp ??= (async () => {
    await Promise.allSettled(resources.workers.map((w) => w.shutdown()));
    await resources.system?.stop().catch(() => {});
    await resources.api?.service.stop().catch(() => {});
    killAllChildren();
    resources.tap?.stop();
    await resources.client?.close().catch(() => {});
    await dropDatabase(databaseUrl).catch((error: unknown) => log(`could not drop ${databaseUrl}: ${(error as Error).message}`));
    await clearRedisPrefix(REDIS_URL, REDIS_PREFIX).catch(() => 0);
  })());
}

function abort(reason: string, code: number): void {
  log(`\n${reason}; stopping children and dropping the bench database…`);
  const hard = setTimeout(() => process.exit(code), 30_000);
  hard.unref();
  void cleanup().finally(() => process.exit(code));
}
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
setTimeout(() => abort(`time limit of ${options.maxMinutes} min reached`, 124), options.maxMinutes * 60_000).unref();

/** Another benchmark on this 2-core box would distort every figure: wait (up to 10 min) until it is gone. */
async function waitForOtherBenchmarks(): Promise<void> {
  const others = () => {
    const found: string[] = [];
    for (const pid of readdirSafe('/proc')) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        if (cmd.includes('api-bench')) found.push(pid);
      } catch {
        // gone
      }
    }
    return found;
  };
  const deadline = Date.now() + 10 * 60_000;
  let told = false;
  while (others().length > 0 && Date.now() < deadline) {
    if (!told) log('an API benchmark (api-bench) is running: waiting for it to finish…');
    told = true;
    await sleep(10_000);
  }
  if (others().length > 0) log('WARNING: api-bench still running after 10 min; figures will be distorted');
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
async function runSystem(system: System, opts: BenchOptions, client: ApiClient, tap: BusTap): Promise<SystemResult> {
  const result: SystemResult = { system, connectMs: [], latencies: [], unexpectedCloses: 0, closeCodes: {} };
  log(`\n=== ${system === 'tidings' ? 'Tidings gateway (ws)' : 'baseline: socket.io 4.8 + @socket.io/redis-adapter'} ===`);
  const profileSince = Date.now();
  const running = await startSystem(system, databaseUrl, opts.cpuProf);
  resources.system = running;
  const workers = await Promise.all(Array.from({ length: opts.workers }, (_, i) => LoadWorker.start(i, system, jwtSecret(), opts.connectConcurrency)));
  resources.workers = workers;
  log(
    `  started ${running.gateways.map((g) => `${g.name} (pid ${g.service.pid})`).join(', ')}; ${workers.length} load workers (clock offsets ${workers.map((w) => `${w.clockOffset.toFixed(3)} ms`).join(', ')})`,
  );
  const cpu = CpuMeter.withServers(() => ({
    api: [resources.api!.service.pid],
    gateways: running.gateways.map((g) => g.service.pid),
    ...(running.helpers.length ? { relay: running.helpers.map((h) => h.pid) } : {}),
    'load workers': workers.map((w) => w.service.pid),
    bench: [process.pid],
  }));
  const windows: Window[] = [];

  const idle = await settledStats(running, opts.settleMs);
  const gw = running.gateways;
  const first: Target[] = Array.from({ length: opts.connections }, (_, j) => [j % opts.users, gw[j % 2]!.url]);
  // The second connection of each user goes to the other gateway, like a second device.
  const second: Target[] = Array.from({ length: opts.connections }, (_, j) => [j % opts.users, gw[(j + 1) % 2]!.url]);

  for (const [group, targets] of [first, second].entries()) {
    const connected = await connectAll(workers, group, targets);
    result.connectMs.push(connected.ms);
    log(
      `  connected ${connected.connected}/${targets.length} in ${(connected.ms / 1000).toFixed(1)} s${connected.failed ? ` (${connected.failed} failed: ${connected.errors.join(' | ')})` : ''}`,
    );
    if (connected.failed > targets.length * 0.01) throw new Error('more than 1% of the connections failed; see the errors above');
    const point = memoryPoint(running, idle, await settledStats(running, opts.settleMs));
    log(describeMemory(`memory @ ${point.connections}`, idle, point));
    if (group === 0) result.memoryAtN = point;
    else result.memoryAt2N = point;
  }
  result.marginal = marginal(result.memoryAtN!, result.memoryAt2N!);

  await Promise.all(workers.map((w) => w.close(1)));
  await sleep(3_000);
  if (opts.warmupSeconds > 0) {
    log(`  back to ${opts.connections} connections; warm-up: ${opts.rates[0]}/s for ${opts.warmupSeconds} s (not measured)`);
    await sendAtRate(client, { rate: opts.rates[0]!, seconds: opts.warmupSeconds, users: opts.users });
    await sleep(3_000);
  }
  for (const rate of opts.rates) {
    log(`  latency run: ${rate}/s for ${opts.seconds} s`);
    const windowStart = monotonicUs();
    const latency = await runLatency(running, workers, client, tap, cpu, { rate, seconds: opts.seconds, users: opts.users });
    windows.push({ name: `latency run at ${rate}/s`, startUs: windowStart, endUs: monotonicUs() });
    result.latencies.push(latency);
    log(describeLatency(latency));
    await sleep(2_000);
  }

  const windowStart = monotonicUs();
  result.broadcast = await runBroadcasts(workers, client, tap, opts.broadcasts);
  windows.push({ name: 'broadcasts', startUs: windowStart, endUs: monotonicUs() });
  log(describeBroadcasts(result.broadcast));

  for (const stats of await Promise.all(workers.map((w) => w.stats()))) {
    result.unexpectedCloses += stats.unexpectedCloses;
    for (const [code, count] of Object.entries(stats.closeCodes)) result.closeCodes[code] = (result.closeCodes[code] ?? 0) + count;
  }
  if (result.unexpectedCloses) log(`  WARNING: ${result.unexpectedCloses} connections closed by the server: ${JSON.stringify(result.closeCodes)}`);

  await Promise.all(workers.map((w) => w.shutdown()));
  resources.workers = [];
  await running.stop();
  resources.system = undefined;
  if (opts.cpuProf) {
    const files = latestProfiles(
      running.gateways.map((g) => g.name),
      profileSince,
    );
    if (files.size === 0) log('  (no CPU profile found: did the gateways exit cleanly?)');
    for (const [name, file] of files) for (const window of windows) log(describeProfile(summarise(file, window), name));
  }
  await clearRedisPrefix(REDIS_URL, REDIS_PREFIX);
  return result;
}

async function main(): Promise<void> {
  log(`gateway bench: ${machineInfo()}`);
  log(`command: ${command}`);
  await waitForOtherBenchmarks();
  log(`setting up ${databaseUrl} with ${options.users} recipients…`);
  await recreateDatabase(databaseUrl);
  await seedRecipients(databaseUrl, options.users);
  await clearRedisPrefix(REDIS_URL, REDIS_PREFIX);
  resources.api = await startApi(databaseUrl);
  const sign = createSigner({ JWT_SECRET: jwtSecret(), JWT_PUBLIC_KEY: undefined, JWT_PRIVATE_KEY: undefined, JWT_ISSUER: undefined, JWT_AUDIENCE: undefined });
  resources.client = new ApiClient(resources.api.url, sign({ sub: 'gwbench', scope: 'notifications:publish', expiresIn: 6 * 3_600 }), options.httpConnections);
  resources.tap = new BusTap();
  await resources.tap.start();
  log(`API on ${resources.api.url} (pid ${resources.api.service.pid})`);

  const results: SystemResult[] = [];
  for (const system of options.systems) results.push(await runSystem(system, options, resources.client, resources.tap));

  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  log(
    `\n=== summary (${options.connections} connections over 2 gateways; ${options.rates.join(' and ')}/s for ${options.seconds} s; ${options.broadcasts} broadcasts) ===`,
  );
  log(comparisonTable(results, options.connections));
  log(`\nmachine: ${machineInfo()}`);
  log(`command: ${command}`);
  log(`run time: ${minutes} min`);
  if (options.json) {
    writeFileSync(options.json, JSON.stringify({ machine: machineInfo(), command, minutes: Number(minutes), options, results }, null, 2));
    log(`figures written to ${options.json}`);
  }
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  console.error(error);
  abort('the bench failed', 1);
}
