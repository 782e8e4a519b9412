import type { Redis } from 'ioredis';
import type { Broker, PresenceWriter } from '@tidings/cluster';
import type { Logger } from '@tidings/server-kit';
import type { ConnectionLifecycle } from './connection-lifecycle.ts';
import type { Hub } from './hub.ts';
import type { Replayer } from './replay.ts';

export interface RedisRecoveryDeps {
  broker: Broker;
  /** The client that writes presence. */
  redis: Redis;
  hub: Hub;
  replayer: Replayer;
  presence: PresenceWriter;
  lifecycle: ConnectionLifecycle;
  leaseMs: number;
  logger: Logger;
  draining(): boolean;
}

/**
 * Repairs what a Redis outage cost this gateway, once Redis is back: every connection is resynced
 * from the last seq it was sent (messages published meanwhile were lost to us), and the presence
 * lease and entries are written again (Redis may have restarted without persistence; if it kept
 * them, the same entries are written).
 */
export function recoverAfterRedisOutages(deps: RedisRecoveryDeps): void {
  const { hub, logger } = deps;
  deps.broker.onResubscribed(() => {
    logger.info({ connections: hub.size }, 'redis subscriptions restored; resyncing connections');
    for (const connection of hub.all()) {
      if (!connection.replaying) {
        deps.replayer
          .replay(connection, connection.lastSeq)
          .catch((error: unknown) => logger.warn({ err: (error as Error).message, user: connection.userId }, 'resync failed'));
      }
    }
  });

  let redisLost = false;
  deps.redis.on('close', () => {
    redisLost = true;
  });
  deps.redis.on('ready', () => {
    if (!redisLost || deps.draining()) return;
    redisLost = false;
    logger.info({ connections: hub.size }, 'redis connection restored; writing presence again');
    deps.presence.renewLease(deps.leaseMs).catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'presence lease renewal failed'));
    for (const connection of hub.all()) if (!connection.closed) deps.lifecycle.addPresence(connection);
  });
}
