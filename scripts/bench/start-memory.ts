/**
 * Start time and idle memory of every service, run from its build (`node dist/main.js`, as
 * `npm start` and the image run it) and, for comparison, from its TypeScript sources under tsx.
 *
 *   pnpm bench:start [--rounds 3] [--idle-ms 20000] [--only dist|source]
 *
 * Each round starts each service alone, times spawn → its `… listening` log line, then samples its
 * RSS (VmRSS) twice a second while it idles: 5 s in, and the lowest of the window, once V8's memory
 * reducer has given back the start-up garbage (it runs some 10 s after allocation stops). Rounds alternate between the two ways, so drift on this box hits
 * both alike; the table prints medians and the spread.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { freePort } from '../../test-support/bench.ts';
import { buildServices } from '../../test-support/build.ts';
import { serviceEnv } from '../../test-support/index.ts';

const { values: flags } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, 'idle-ms': { type: 'string', default: '20000' }, only: { type: 'string' } },
});
const rounds = Number(flags.rounds);
const idleMs = Number(flags['idle-ms']);
const modes = (flags.only ? [flags.only] : ['dist', 'source']) as Array<'dist' | 'source'>;

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sample {
  startMs: number;
  /** RSS 5 s after it said it listens. */
  earlyMb: number;
  /** The lowest RSS of the idle window: once V8's memory reducer has given back the start-up garbage. */
  settledMb: number;
}

const services = ['api', 'gateway', 'worker', 'mailbox'] as const;
type Service = (typeof services)[number];

async function portsFor(service: Service): Promise<Record<string, string>> {
  if (service === 'api') return { API_PORT: String(await freePort()) };
  if (service === 'gateway') return { GATEWAY_PORT: String(await freePort()), GATEWAY_ID: 'bench-start' };
  if (service === 'worker') return { WORKER_PORT: String(await freePort()) };
  return { MAILBOX_SMTP_PORT: String(await freePort()), MAILBOX_HTTP_PORT: String(await freePort()) };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

async function measure(service: Service, mode: 'dist' | 'source'): Promise<Sample> {
  const args =
    mode === 'dist'
      ? ['--enable-source-maps', `services/${service}/dist/main.js`]
      : ['--conditions=@tidings/source', '--import', 'tsx', `services/${service}/src/main.ts`];
  const env = serviceEnv({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-start-${process.pid}:`,
    LOG_LEVEL: 'info',
    SMTP_URL: 'smtp://127.0.0.1:9',
    ...(await portsFor(service)),
  });
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const startMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${service} (${mode}) did not start:\n${lines.join('\n')}`)), 60_000);
    const onLine = (line: string) => {
      lines.push(line);
      if (/"msg":"[^"]*listening"/.test(line)) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code) => reject(new Error(`${service} (${mode}) exited ${code}:\n${lines.join('\n')}`)));
  });
  let earlyMb = 0;
  let settledMb = Infinity;
  for (let waited = 0; waited < idleMs; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = rssMb(child.pid!);
    if (waited < 5_000) earlyMb = now;
    settledMb = Math.min(settledMb, now);
  }
  const sample = { startMs, earlyMb, settledMb };
  child.removeAllListeners('exit');
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
  return sample;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const spread = (values: number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

if (modes.includes('dist')) buildServices();
const results = new Map<string, Sample[]>();
for (let round = 0; round < rounds; round++) {
  for (const service of services) {
    for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
      const sample = await measure(service, mode);
      const key = `${service} ${mode}`;
      results.set(key, [...(results.get(key) ?? []), sample]);
      console.log(
        `round ${round + 1}: ${key.padEnd(16)} start ${sample.startMs.toFixed(0)} ms, RSS ${sample.earlyMb.toFixed(1)} MB at 5 s, ${sample.settledMb.toFixed(1)} MB settled`,
      );
    }
  }
}

console.log(`\n| service | run from | start (median, range) | RSS at 5 s | RSS settled (lowest in ${idleMs / 1000} s idle) |`);
console.log('|---|---|---|---|---|');
for (const service of services) {
  for (const mode of modes) {
    const samples = results.get(`${service} ${mode}`) ?? [];
    const starts = samples.map((s) => s.startMs);
    const early = samples.map((s) => s.earlyMb);
    const settled = samples.map((s) => s.settledMb);
    const how = mode === 'dist' ? '`node dist/main.js`' : 'tsx, sources';
    const mb = (values: number[]) => `${median(values).toFixed(1)} MB (${spread(values, 1)})`;
    console.log(`| ${service} | ${how} | ${median(starts).toFixed(0)} ms (${spread(starts, 0)}) | ${mb(early)} | ${mb(settled)} |`);
  }
}
