import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Sql } from '@tidings/db';
import { createOpsHandler, readinessChecks, requestTarget, type OpsHandler } from '@tidings/server-kit';

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

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The gateway's operator routes: `/healthz`, `/readyz` (not draining, Postgres and Redis answer
 * within 1 s) and `/metrics` as every service answers them, and `/stats` (connections, users,
 * memory). The handler answers whether it served the request.
 */
export function createOpsRoutes(state: OpsState): OpsHandler {
  const ops = createOpsHandler({
    registry: state.registry,
    // Draining first: a draining gateway answers 503 `draining` whatever else holds.
    checks: {
      draining: readinessChecks.notDraining(() => state.draining()),
      postgres: readinessChecks.postgres(state.sql),
      redis: readinessChecks.redis(state.redis),
    },
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    if (ops(req, res)) return true;
    if (req.method !== 'GET' || requestTarget(req).pathname !== '/stats') return false;
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
  };
}
