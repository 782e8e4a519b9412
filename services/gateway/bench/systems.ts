import { startNodeService, type Service } from './children.ts';
import type { System } from './options.ts';
import { freePort } from '@tidings/test-support/bench';
import { jwtSecret, REDIS_PREFIX, REDIS_URL, SOCKET_IO_KEY, waitForHttp } from './setup.ts';

/** Settings shared by the API, the gateways and the worker: the bench database and prefix, limits out of the way. */
function commonEnv(databaseUrl: string, redisPrefix: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: jwtSecret(),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SERVICE_PER_MINUTE: '100000000',
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    MAX_CONNECTIONS_PER_USER: '10',
    HEARTBEAT_MS: '30000',
    WS_MESSAGES_PER_10S: '100000',
    // Every load client connects from 127.0.0.1.
    GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE: '100000000',
  };
}

export interface Endpoint {
  name: string;
  url: string;
  service: Service;
}

export async function startApi(databaseUrl: string, redisPrefix = REDIS_PREFIX): Promise<Endpoint> {
  const port = await freePort();
  const service = startNodeService('api', 'services/api/dist/main.js', { ...commonEnv(databaseUrl, redisPrefix), API_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, service.alive);
  return { name: 'api', url, service };
}

export interface RunningSystem {
  system: System;
  /** The two instances clients connect to, each with `/stats` (rss_bytes, heap_used_bytes, connections). */
  gateways: Endpoint[];
  /** Other processes of the system (the baseline's relay). */
  helpers: Service[];
  stop(): Promise<void>;
}

/** The worker (`services/worker/dist/main.js`) with its health server (`/readyz`, `/metrics`) on a free port. */
export async function startWorker(databaseUrl: string, redisPrefix = REDIS_PREFIX): Promise<Endpoint> {
  const port = await freePort();
  const service = startNodeService('worker', 'services/worker/dist/main.js', { ...commonEnv(databaseUrl, redisPrefix), WORKER_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, service.alive);
  return { name: 'worker', url, service };
}

/** Two Tidings gateways, as child processes running `services/gateway/dist/main.js`. */
export async function startTidings(databaseUrl: string, cpuProf: boolean, redisPrefix = REDIS_PREFIX): Promise<RunningSystem> {
  const gateways: Endpoint[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const name = `gw-${i}`;
    const service = startNodeService(
      name,
      'services/gateway/dist/main.js',
      { ...commonEnv(databaseUrl, redisPrefix), GATEWAY_PORT: String(port), GATEWAY_ID: `gwbench-${i}` },
      { cpuProf },
    );
    gateways.push({ name, url: `http://127.0.0.1:${port}`, service });
  }
  await Promise.all(gateways.map((g) => waitForHttp(`${g.url}/readyz`, g.service.alive)));
  return {
    system: 'tidings',
    gateways,
    helpers: [],
    // A gateway drains on SIGTERM (1012 to every client) and exits, which also writes a CPU profile.
    stop: async () => {
      await Promise.all(gateways.map((g) => g.service.stop(20_000)));
    },
  };
}

/** Two socket.io 4.8 + redis-adapter instances and the relay that feeds them from the Tidings bus. */
async function startBaseline(cpuProf: boolean): Promise<RunningSystem> {
  let relayReady: () => void = () => {};
  const relayUp = new Promise<void>((resolve) => (relayReady = resolve));
  const relay = startNodeService(
    'sio-relay',
    'services/gateway/bench/baseline/relay.ts',
    { REDIS_URL, REDIS_PREFIX, SIO_KEY: SOCKET_IO_KEY },
    { onLine: (line) => line.includes('relay ready') && relayReady() },
  );
  const gateways: Endpoint[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const name = `sio-${i}`;
    const service = startNodeService(
      name,
      'services/gateway/bench/baseline/server.ts',
      { PORT: String(port), REDIS_URL, SIO_KEY: SOCKET_IO_KEY, JWT_SECRET: jwtSecret(), INSTANCE_ID: `sio-${i}` },
      { cpuProf },
    );
    gateways.push({ name, url: `http://127.0.0.1:${port}`, service });
  }
  await Promise.all(gateways.map((g) => waitForHttp(`${g.url}/healthz`, g.service.alive)));
  await Promise.race([
    relayUp,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the baseline relay did not subscribe within 30 s')), 30_000).unref()),
  ]);
  return {
    system: 'baseline',
    gateways,
    helpers: [relay],
    stop: async () => {
      await Promise.all([...gateways.map((g) => g.service.stop(10_000)), relay.stop(5_000)]);
    },
  };
}

export function startSystem(system: System, databaseUrl: string, cpuProf: boolean): Promise<RunningSystem> {
  return system === 'tidings' ? startTidings(databaseUrl, cpuProf) : startBaseline(cpuProf);
}

export interface GatewayStats {
  gateway_id: string;
  connections: number;
  rss_bytes: number;
  heap_used_bytes: number;
}

export async function readStats(endpoint: Endpoint): Promise<GatewayStats> {
  const res = await fetch(`${endpoint.url}/stats`);
  if (res.status !== 200) throw new Error(`${endpoint.name} /stats answered ${res.status}`);
  return (await res.json()) as GatewayStats;
}
