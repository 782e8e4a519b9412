import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Sql } from '@tidings/db';

export interface OpsState {
  gatewayId: string;
  sql: Sql;
  redis: Redis;
  registry: Registry;
  startedAt: number;
  connections(): number;
  users(): number;
  draining(): boolean;
}

const CHECK_TIMEOUT_MS = 1_000;

async function check(run: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([run(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref())]);
    return 'ok';
  } catch (error) {
    return `unavailable: ${(error as Error).message}`;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The gateway's operator routes: `/healthz`, `/readyz` (Postgres and Redis answer within 1 s, and
 * not draining), `/metrics`, `/stats` (connections, users, memory). Answers whether it served `pathname`.
 */
export function serveOps(state: OpsState, pathname: string, res: ServerResponse): boolean {
  switch (pathname) {
    case '/healthz':
      json(res, 200, { status: 'ok' });
      return true;
    case '/readyz':
      void Promise.all([check(() => state.sql`select 1`), check(() => state.redis.ping())]).then(([postgres, redis]) => {
        const draining = state.draining();
        const ok = postgres === 'ok' && redis === 'ok' && !draining;
        json(res, ok ? 200 : 503, { status: ok ? 'ok' : draining ? 'draining' : 'unavailable', checks: { postgres, redis } });
      });
      return true;
    case '/metrics':
      void state.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': state.registry.contentType });
        res.end(text);
      });
      return true;
    case '/stats': {
      const memory = process.memoryUsage();
      json(res, 200, {
        gateway_id: state.gatewayId,
        connections: state.connections(),
        users: state.users(),
        uptime_s: Math.round((Date.now() - state.startedAt) / 1000),
        rss_bytes: memory.rss,
        heap_used_bytes: memory.heapUsed,
        draining: state.draining(),
      });
      return true;
    }
    default:
      return false;
  }
}
