import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Gauge, Registry } from 'prom-client';
import type { Sql } from '@tidings/db';
import { AppError, createOpsHandler, guardHttpServer, httpServerOptions, readinessChecks, sendError, type Logger } from '@tidings/server-kit';

export interface OpsServerDeps {
  port: number;
  logger: Logger;
  registry: Registry;
  sql: Sql;
  redis: Redis;
  /** Their depths are `tidings_queue_depth{queue}`. */
  queues: readonly Queue[];
  depth: Gauge<'queue'>;
}

/** The worker's HTTP server: health, readiness and metrics, and a JSON 404 for anything else. Answers once listening. */
export async function startOpsServer(deps: OpsServerDeps): Promise<{ server: Server; url: string }> {
  const { registry, depth } = deps;
  const ops = createOpsHandler({
    registry,
    checks: { postgres: readinessChecks.postgres(deps.sql), redis: readinessChecks.redis(deps.redis) },
    // The queues' connection waits for Redis rather than failing: while it is away, a scrape
    // answers with the depths from before.
    beforeMetrics: async () => {
      for (const queue of deps.queues) {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active').catch(() => undefined);
        if (counts) depth.set({ queue: queue.name }, (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0));
      }
    },
  });
  const server: Server = guardHttpServer(
    createServer(httpServerOptions, (req, res) => {
      if (ops(req, res)) return;
      sendError(res, new AppError('not_found', 'no such route'));
    }),
    deps.logger,
  );
  server.listen(deps.port);
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
