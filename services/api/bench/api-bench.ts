/**
 * API benchmark: prints figures for single-recipient creates, inbox listing and search over 1M rows, admin
 * charts over them and a 100,000-recipient broadcast, against the API running as a child process. See README.md.
 *
 *   pnpm bench:api [--keep] [--profile] [--only=timeseries,list,search,create,broadcast] [--no-rollup] [--seconds=15] [--warmup=3]
 *                 [--connections=50] [--list-rate=200] [--api-processes=1] [--pg=synchronous_commit=off]
 */
import os from 'node:os';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { createSigner, PUBLISH_SCOPE } from '@tidings/auth';
import { loadConfig } from '@tidings/config';
import { dropDatabase } from '@tidings/db';
import { disturbedRuns } from './cpu.ts';
import { clearRedisPrefix } from '@tidings/test-support/bench';
import { fmtInt } from './load.ts';
import { SERVICE, broadcastScenario, createScenario, listScenario, type Context, type Row } from './scenarios.ts';
import { searchScenario } from './search.ts';
import { timeseriesScenario } from './timeseries.ts';
import {
  BENCH_DB,
  REDIS_PREFIX,
  ROWS_PER_USER,
  USERS,
  benchDatabaseUrl,
  benchDir,
  lockBenchRun,
  recreateDatabase,
  seedInbox,
  startApiChild,
  timed,
  userId,
  type ApiChild,
} from './setup.ts';

const SCENARIOS = ['timeseries', 'create', 'list', 'search', 'broadcast'] as const;
type Scenario = (typeof SCENARIOS)[number];

function parseArgs(argv: readonly string[]) {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const positive = (name: string, fallback: number) => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} needs a positive number`);
    return parsed;
  };
  const only = (value('only') ?? SCENARIOS.join(',')).split(',').filter(Boolean);
  const unknown = only.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  return {
    keep: argv.includes('--keep'),
    profile: argv.includes('--profile'),
    /** Leave the stats rollup out: charts count every minute from the rows, as before it existed. */
    rollup: !argv.includes('--no-rollup'),
    only: new Set(only as Scenario[]),
    seconds: positive('seconds', 15),
    warmup: positive('warmup', 3),
    connections: positive('connections', 50),
    listRate: positive('list-rate', 200),
    apiProcesses: positive('api-processes', 1),
    /** `--pg=name=value` (repeatable): ALTER DATABASE tidings_bench SET name = value, for what-if runs. */
    pgSettings: argv
      .filter((arg) => arg.startsWith('--pg='))
      .map((arg) => {
        const match = /^--pg=([a-z_]+)=([A-Za-z0-9_.]+)$/.exec(arg);
        if (!match) throw new Error(`--pg needs name=value, got ${arg}`);
        return [match[1]!, match[2]!] as const;
      }),
  };
}

function table(rows: Row[]): string {
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

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const runStarted = performance.now();
  const config = loadConfig();
  const databaseUrl = benchDatabaseUrl();
  const sign = createSigner(config);
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, node ${process.version}`;
  console.log(`Tidings API benchmark — ${machine}`);
  console.log(
    `options: ${JSON.stringify({ ...options, only: [...options.only] })}; database ${databaseUrl.replace(/\/\/[^@]*@/, '//…@')}; redis prefix ${REDIS_PREFIX}\n`,
  );

  const unlock = await lockBenchRun(databaseUrl);
  const redis = new Redis(config.REDIS_URL);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const apis: ApiChild[] = [];
  try {
    console.log('setup');
    await timed('recreate and migrate tidings_bench', () => recreateDatabase(databaseUrl));
    await clearRedisPrefix(redis, REDIS_PREFIX);
    for (const [name, value] of options.pgSettings) await sql.unsafe(`alter database "${BENCH_DB}" set ${name} = '${value}'`);
    const [pg] = await sql<{ version: string; sync: string; buffers: string }[]>`
      select current_setting('server_version') as version, current_setting('synchronous_commit') as sync, current_setting('shared_buffers') as buffers`;
    await timed(`seed ${fmtInt(USERS * ROWS_PER_USER)} notifications for ${fmtInt(USERS)} users + vacuum analyze`, () => seedInbox(sql));
    for (let i = 0; i < options.apiProcesses; i++) {
      apis.push(await timed('start an API child and wait for /readyz', () => startApiChild(databaseUrl, { cpuProfile: options.profile })));
      console.log(`  API pid ${apis[i]!.pid} at ${apis[i]!.url}`);
    }
    const api = apis[0]!;

    const ctx: Context = {
      api,
      apis,
      sql,
      redisUrl: config.REDIS_URL,
      serviceToken: sign({ sub: SERVICE, scope: PUBLISH_SCOPE, expiresIn: 4 * 3_600 }),
      adminToken: sign({ sub: 'bench-admin', roles: ['admin'], expiresIn: 4 * 3_600 }),
      userTokens: Array.from({ length: USERS }, (_, i) => sign({ sub: userId(i + 1), expiresIn: 4 * 3_600 })),
      connections: options.connections,
      seconds: options.seconds,
      warmup: options.warmup,
      listRate: options.listRate,
      rollup: options.rollup,
    };
    // Charts, list and search first, so they read the seeded data (search then adds a large inbox, which
    // would move the charts' counts); creates then append to the same 10,000 inboxes.
    const rows: Partial<Record<Scenario, Row[]>> = {};
    if (options.only.has('timeseries')) rows.timeseries = await timeseriesScenario(ctx);
    if (options.only.has('list')) rows.list = await listScenario(ctx);
    if (options.only.has('search')) rows.search = await searchScenario(ctx);
    if (options.only.has('create')) rows.create = await createScenario(ctx);
    if (options.only.has('broadcast')) rows.broadcast = await broadcastScenario(ctx);

    console.log(
      `\nsummary (${options.connections} connections, ${options.seconds} s per run after ${options.warmup} s warm-up` +
        `${options.apiProcesses > 1 ? `, ${options.apiProcesses} API processes` : ''})\n`,
    );
    console.log(table([['figure', 'result', 'goal'], ...SCENARIOS.flatMap((name) => rows[name] ?? [])]));
    if (disturbedRuns.length > 0) console.log(`\nWARNING: other processes competed for the CPU during: ${disturbedRuns.join(', ')}`);
    console.log(`\nmachine: ${machine}`);
    const overrides = options.pgSettings.map(([name, value]) => `${name}=${value}`).join(', ');
    console.log(
      `postgres ${pg?.version}, server synchronous_commit=${pg?.sync}, shared_buffers=${pg?.buffers}` +
        `${overrides ? `; for tidings_bench: ${overrides}` : ''}; API DB pool ${config.DB_POOL_SIZE}`,
    );
  } finally {
    await Promise.all(apis.map((child) => child.stop()));
    if (options.profile) console.log(`CPU profile of the API child written to ${benchDir}profiles/`);
    await clearRedisPrefix(redis, REDIS_PREFIX).catch(() => 0);
    redis.disconnect();
    await sql.end({ timeout: 5 });
    if (options.keep) console.log(`kept database ${databaseUrl}`);
    else await dropDatabase(databaseUrl);
    await unlock();
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
