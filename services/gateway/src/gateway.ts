import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Principal } from '@tidings/auth';
import { channelsFor, type Broker, type ConnectTickets, type OfflineQueue, type PresenceWriter } from '@tidings/cluster';
import type { Config } from '@tidings/config';
import type { Database } from '@tidings/db';
import { broadcastRecipients, Inbox, type EventPublisher } from '@tidings/domain';
import { metricFactories, type Logger } from '@tidings/server-kit';
import { Admission } from './admission.ts';
import { ConnectionLifecycle } from './connection-lifecycle.ts';
import { Drain } from './drain.ts';
import { ExpiryWheel } from './expiry.ts';
import { createHttpServer } from './http-server.ts';
import { Hub } from './hub.ts';
import { recoverAfterRedisOutages } from './redis-recovery.ts';
import { Replayer } from './replay.ts';
import { SseEndpoint } from './sse.ts';
import { startSweeps } from './sweeps.ts';
import { WebSocketEndpoint } from './upgrade.ts';

export interface GatewayDeps {
  config: Config;
  gatewayId: string;
  logger: Logger;
  database: Database;
  redis: Redis;
  broker: Broker;
  publisher: EventPublisher;
  offlineQueue: OfflineQueue;
  presence: PresenceWriter;
  verify: (token: string | undefined) => Principal;
  tickets: ConnectTickets;
  registry: Registry;
}

export interface Gateway {
  server: Server;
  hub: Hub;
  /** Stops accepting, closes every connection with 1012 (reconnect elsewhere), leaves presence. */
  drain(): Promise<void>;
}

/**
 * The gateway: WebSocket and SSE endpoints on one HTTP server, over a hub that routes bus events
 * to local connections. Wires the parts together; each lives in its own module.
 */
export async function createGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config, logger, presence } = deps;
  const sql = deps.database.sql;
  const metrics = {
    connections: metricFactories.wsConnections(deps.registry),
    sent: metricFactories.wsMessagesSent(deps.registry),
    latency: metricFactories.deliveryLatency(deps.registry),
    slow: metricFactories.wsSlowConsumerCloses(deps.registry),
  };
  const drain = new Drain();
  const draining = () => drain.draining;
  const hub = new Hub(deps.broker, channelsFor(config.REDIS_PREFIX), (broadcastId, userIds) => broadcastRecipients(sql, broadcastId, userIds), logger, {
    framesWritten: (count) => metrics.sent.inc(count),
    delivered: (createdAt) => metrics.latency.observe(Math.max(0, Date.now() - Date.parse(createdAt)) / 1000),
  });
  const replayer = new Replayer(deps.database, deps.offlineQueue, logger);
  const expiry = new ExpiryWheel();
  const leaseMs = config.HEARTBEAT_MS * 2;
  const lifecycle = new ConnectionLifecycle({
    hub,
    replayer,
    expiry,
    presence,
    gatewayId: deps.gatewayId,
    gauge: metrics.connections,
    heartbeatMs: config.HEARTBEAT_MS,
    logger,
    draining,
  });
  const admission = new Admission(config, { verify: deps.verify, tickets: deps.tickets }, hub);
  const onSlowConsumer = () => metrics.slow.inc();
  const websocket = new WebSocketEndpoint({
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    admission,
    lifecycle,
    messages: {
      inbox: new Inbox(deps.database, deps.publisher),
      replayer,
      verify: deps.verify,
      logger,
      onExpiryChanged: (connection) => expiry.add(connection),
      messagesPer10s: config.WS_MESSAGES_PER_10S,
    },
    onSlowConsumer,
    logger,
    draining,
  });
  const sse = new SseEndpoint({ maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES, admission, lifecycle, onSlowConsumer, logger });
  const server = createHttpServer({
    logger,
    ops: {
      gatewayId: deps.gatewayId,
      sql,
      redis: deps.redis,
      registry: deps.registry,
      startedAt: Date.now(),
      connections: () => hub.size,
      users: () => hub.userCount,
      draining,
    },
    serveSse: sse.serve,
    onUpgrade: websocket.onUpgrade,
  });

  await hub.start();
  recoverAfterRedisOutages({ broker: deps.broker, redis: deps.redis, hub, replayer, presence, lifecycle, leaseMs, logger, draining });
  await presence.renewLease(leaseMs);
  await presence.reapDead().catch(() => 0);
  const sweeps = startSweeps({ hub, expiry, presence, heartbeatMs: config.HEARTBEAT_MS, leaseMs, logger });

  return {
    server,
    hub,
    drain: () => drain.run({ server, wss: websocket.wss, hub, sweeps, presence, broker: deps.broker, logger }),
  };
}
