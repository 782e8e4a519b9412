import { once } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createVerifier } from '@tidings/auth';
import { RedisBroker, RedisConnectTickets, RedisOfflineQueue, RedisPresenceWriter, channelsFor } from '@tidings/cluster';
import type { Config } from '@tidings/config';
import { createDatabase, prepareDatabase } from '@tidings/db';
import { EventPublisher } from '@tidings/domain';
import { createLogger, createRedis, createRegistry, redisReady, runService, type Logger } from '@tidings/server-kit';
import { createGateway, type Gateway } from './gateway.ts';

export interface RunningGateway {
  url: string;
  gatewayId: string;
  gateway: Gateway;
  /** Idempotent: drains (1012 to every client), then closes clients. */
  close(): Promise<void>;
  /** For tests of a crash: drops every socket and client without a goodbye, like `kill -9`. */
  crash(): void;
}

/** Wires config → clients → parts → server. Used by `main` below and by the tests (port 0). */
export async function startGateway(
  config: Config,
  logger: Logger = createLogger('gateway', config.LOG_LEVEL),
  port = config.GATEWAY_PORT,
): Promise<RunningGateway> {
  const gatewayId = config.GATEWAY_ID ?? `${hostname()}-${port}-${randomBytes(3).toString('hex')}`;
  const log = logger.child({ gateway: gatewayId });
  const database = createDatabase(config.DATABASE_URL, { max: config.DB_POOL_SIZE, applicationName: 'tidings-gateway' });
  const redis = createRedis(config.REDIS_URL, log, { name: 'gateway', failFast: true });
  const subscriber = createRedis(config.REDIS_URL, log, { name: 'gateway-sub' });
  // Presence and the broadcast subscription are set up at start: wait for Redis rather than fail.
  await redisReady(redis);
  const broker = new RedisBroker(redis, () => subscriber, log);
  const offlineQueue = new RedisOfflineQueue(redis, config.REDIS_PREFIX, config.OFFLINE_QUEUE_SIZE);
  const publisher = new EventPublisher(broker, channelsFor(config.REDIS_PREFIX), database.sql, log, offlineQueue);
  const gateway = await createGateway({
    config,
    gatewayId,
    logger: log,
    database,
    redis,
    broker,
    publisher,
    offlineQueue,
    presence: new RedisPresenceWriter(redis, config.REDIS_PREFIX, gatewayId),
    verify: createVerifier(config),
    tickets: new RedisConnectTickets(redis, config.REDIS_PREFIX),
    registry: createRegistry('gateway'),
  });
  gateway.server.listen(port);
  await once(gateway.server, 'listening');
  const url = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    gatewayId,
    gateway,
    close: () =>
      (closing ??= (async () => {
        await gateway.drain();
        await publisher.flush();
        redis.disconnect();
        subscriber.disconnect();
        await database.close();
      })()),
    crash: () => {
      closing ??= Promise.resolve();
      for (const connection of gateway.hub.all()) connection.sink.terminate();
      gateway.server.closeAllConnections();
      gateway.server.close();
      redis.disconnect();
      subscriber.disconnect();
      void database.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runService({ name: 'gateway', prepare: (config) => prepareDatabase(config.DATABASE_URL), start: startGateway });
}
