import { Redis } from 'ioredis';
import { RedisBroker, RedisOfflineQueue, channelsFor } from '@tidings/cluster';
import type { Config } from '@tidings/config';
import { createDatabase, type Database } from '@tidings/db';
import { EventPublisher } from '@tidings/domain';
import { createRedis, type Logger } from '@tidings/server-kit';

export interface WorkerClients {
  database: Database;
  /** Fails fast while Redis is away: the broker, the offline queue, the data-loss watch. */
  redis: Redis;
  /** The queues' and BullMQ workers' connection, which waits for Redis instead. */
  bullConnection: Redis;
  broker: RedisBroker;
  publisher: EventPublisher;
}

export function connectClients(config: Config, logger: Logger): WorkerClients {
  const database = createDatabase(config.DATABASE_URL, { max: 5, applicationName: 'tidings-worker' });
  const redis = createRedis(config.REDIS_URL, logger, { name: 'worker', failFast: true });
  // BullMQ workers block on Redis and must retry for ever while it is away.
  const bullConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'worker-bull' });
  bullConnection.on('error', () => {});
  const broker = new RedisBroker(redis, () => createRedis(config.REDIS_URL, logger, { name: 'worker-sub' }), logger);
  const publisher = new EventPublisher(
    broker,
    channelsFor(config.REDIS_PREFIX),
    database.sql,
    logger,
    new RedisOfflineQueue(redis, config.REDIS_PREFIX, config.OFFLINE_QUEUE_SIZE),
  );
  return { database, redis, bullConnection, broker, publisher };
}
