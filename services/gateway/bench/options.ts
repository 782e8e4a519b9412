import { parseArgs } from 'node:util';

export type System = 'tidings' | 'baseline';

export interface BenchOptions {
  /** Idle connections for the first memory figure and for latency/broadcast; the second memory figure is at twice this. */
  connections: number;
  /** Recipients created and connected (one connection each at `connections`, two each at twice that). */
  users: number;
  /** Notifications per second of each latency run (the first is the headline figure). */
  rates: number[];
  /** Unmeasured traffic at the first rate before the latency runs, so JIT and pools are warm for both systems. */
  warmupSeconds: number;
  /** Length of the latency run, in seconds. */
  seconds: number;
  broadcasts: number;
  systems: System[];
  workers: number;
  /** Pause after forcing a GC before reading /stats. */
  settleMs: number;
  /** Parallel connection attempts per load worker. */
  connectConcurrency: number;
  /** HTTP connections from the sender to the API. */
  httpConnections: number;
  cpuProf: boolean;
  /** Writes every figure as JSON here too. */
  json: string | undefined;
  /** The whole run is aborted (children killed, database dropped) after this. */
  maxMinutes: number;
}

export const usage = `usage: pnpm bench:gateway [flags]

  --connections N        idle connections over the two gateways (default 10000); memory is also
                         measured at 2N (a second connection per user, on the other gateway)
  --rate N[,N…]          notifications per second of each latency run (default 1000); the first
                         is the headline, e.g. --rate 1000,500 adds a run at 500/s
  --warmup N             seconds of unmeasured traffic before the latency runs (default 5)
  --seconds N            length of the latency run (default 20)
  --broadcasts N         broadcasts to all connected users, measured one by one (default 3)
  --only tidings|baseline  run one system (default: both, Tidings first)
  --workers N            load-client processes (default 2; each holds connections/N, up to 2N)
  --settle-ms N          wait after a forced GC before reading /stats (default 5000)
  --connect-concurrency N  parallel handshakes per load worker (default 200)
  --http-connections N   keep-alive connections from the sender to the API (default 32)
  --cpu-prof             write a V8 CPU profile of each gateway (bench/profiles/) and summarise it
  --json FILE            also write all figures as JSON
  --max-minutes N        hard time limit for the whole run (default 20)

quick smoke test:  --connections 2000 --seconds 5 --broadcasts 1 --warmup 2`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: a positive number, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string' },
      rate: { type: 'string' },
      warmup: { type: 'string' },
      seconds: { type: 'string' },
      broadcasts: { type: 'string' },
      only: { type: 'string' },
      workers: { type: 'string' },
      'settle-ms': { type: 'string' },
      'connect-concurrency': { type: 'string' },
      'http-connections': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      json: { type: 'string' },
      'max-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const connections = Math.round(positive('connections', values.connections, 10_000));
  const workers = Math.round(positive('workers', values.workers, 2));
  // Each worker process holds up to 2 × connections / workers sockets: stay well inside `ulimit -n`.
  if ((2 * connections) / workers > 18_000)
    throw new Error(`--workers: ${workers} workers would hold ${Math.ceil((2 * connections) / workers)} sockets each; use more workers`);
  let systems: System[] = ['tidings', 'baseline'];
  if (values.only !== undefined) {
    if (values.only !== 'tidings' && values.only !== 'baseline') throw new Error('--only: tidings or baseline');
    systems = [values.only];
  }
  return {
    connections,
    users: connections,
    rates: (values.rate ?? '1000').split(',').map((r) => positive('rate', r.trim(), 1_000)),
    warmupSeconds: values.warmup === '0' ? 0 : positive('warmup', values.warmup, 5),
    seconds: positive('seconds', values.seconds, 20),
    broadcasts: Math.round(positive('broadcasts', values.broadcasts, 3)),
    systems,
    workers,
    settleMs: Math.round(positive('settle-ms', values['settle-ms'], 5_000)),
    connectConcurrency: Math.round(positive('connect-concurrency', values['connect-concurrency'], 200)),
    httpConnections: Math.round(positive('http-connections', values['http-connections'], 32)),
    cpuProf: values['cpu-prof'] ?? false,
    json: values.json,
    maxMinutes: positive('max-minutes', values['max-minutes'], 20),
  };
}
