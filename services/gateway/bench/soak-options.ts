import { parseArgs } from 'node:util';

export interface SoakOptions {
  /** WebSocket connections over the two gateways, one per user (`bench-0` …). */
  connections: number;
  /** Measured minutes after the warm-up; memory is read at the end of each. */
  minutes: number;
  /** Single-recipient notifications per second through the API, to random users. */
  rate: number;
  /** Percent of the connections closed and reopened with `since` every second. */
  churn: number;
  /** Traffic and churn before the first memory reading, so JIT code, pools and caches have grown. */
  warmupSeconds: number;
  workers: number;
  /** Pause after the forced GCs before reading /metrics: long enough for the GC to finish, short enough that new garbage stays small. */
  settleMs: number;
  connectConcurrency: number;
  httpConnections: number;
  json: string | undefined;
  /** The whole run is aborted (children killed, database dropped) after this. */
  maxMinutes: number;
}

export const usage = `usage: pnpm bench:soak [flags]

  --connections N          WebSocket connections over the two gateways, one per user (default 10000)
  --minutes N              measured minutes after the warm-up (default 10)
  --rate N                 notifications per second through the API, each to a random user (default 200)
  --churn P                percent of the connections closed and reopened with since=<last seq>
                           every second (default 1; 0 = none)
  --warmup-seconds N       traffic and churn before the first memory reading (default 60)
  --workers N              load-client processes (default 2)
  --settle-ms N            wait after the forced GCs before reading /metrics (default 250)
  --connect-concurrency N  parallel handshakes per load worker (default 200)
  --http-connections N     keep-alive connections from the sender to the API (default 32)
  --json FILE              also write every figure as JSON
  --max-minutes N          hard time limit for the whole run (default minutes + 10)

short check:  --connections 1000 --minutes 2 --warmup-seconds 20`;

function number(name: string, value: string | undefined, fallback: number, { zero = false, integer = false } = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const ok = Number.isFinite(n) && (zero ? n >= 0 : n > 0) && (!integer || Number.isInteger(n));
  if (!ok) throw new Error(`--${name}: ${zero ? 'a non-negative' : 'a positive'} ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
}

export function parseSoakOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string' },
      minutes: { type: 'string' },
      rate: { type: 'string' },
      churn: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      workers: { type: 'string' },
      'settle-ms': { type: 'string' },
      'connect-concurrency': { type: 'string' },
      'http-connections': { type: 'string' },
      json: { type: 'string' },
      'max-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const connections = number('connections', values.connections, 10_000, { integer: true });
  const workers = number('workers', values.workers, 2, { integer: true });
  // Each worker process holds connections / workers sockets: stay well inside `ulimit -n`.
  if (connections / workers > 18_000)
    throw new Error(`--workers: ${workers} workers would hold ${Math.ceil(connections / workers)} sockets each; use more workers`);
  const churn = number('churn', values.churn, 1, { zero: true });
  if (churn > 100) throw new Error('--churn: at most 100 (percent per second)');
  const minutes = number('minutes', values.minutes, 10, { integer: true });
  return {
    connections,
    minutes,
    rate: number('rate', values.rate, 200),
    churn,
    warmupSeconds: number('warmup-seconds', values['warmup-seconds'], 60, { zero: true }),
    workers,
    settleMs: number('settle-ms', values['settle-ms'], 250, { zero: true, integer: true }),
    connectConcurrency: number('connect-concurrency', values['connect-concurrency'], 200, { integer: true }),
    httpConnections: number('http-connections', values['http-connections'], 32, { integer: true }),
    json: values.json,
    maxMinutes: number('max-minutes', values['max-minutes'], minutes + 10),
  };
}
