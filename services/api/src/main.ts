import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier } from '@tidings/auth';
import { RedisBroker, RedisConnectTickets, RedisOfflineQueue, RedisPresenceReader, channelsFor } from '@tidings/cluster';
import { emailBranding, type Config } from '@tidings/config';
import { createDatabase, prepareDatabase } from '@tidings/db';
import { AdminNotifications, AdminQueries, AdminStats, Directory, EventPublisher, Inbox, digestEntries } from '@tidings/domain';
import { EmailRenderer, emailComposer } from '@tidings/email';
import { createLogger, createRedis, createRegistry, guardHttpServer, httpServerOptions, metricFactories, runService, type Logger } from '@tidings/server-kit';
import { bullEmailOutbox, emailQueue, enqueueRelease, scheduledQueue } from '@tidings/jobs';
import { createApp, requestListener } from './app.ts';
import type { ApiDeps } from './deps.ts';

export interface RunningApi {
  url: string;
  deps: ApiDeps;
  /** Idempotent graceful shutdown: stop accepting, finish requests in flight, close clients. */
  close(): Promise<void>;
}

/** Wires config → clients → parts → server. Used by `main` below and by the tests (port 0). */
export async function startApi(config: Config, logger: Logger = createLogger('api', config.LOG_LEVEL), port = config.API_PORT): Promise<RunningApi> {
  const database = createDatabase(config.DATABASE_URL, { max: config.DB_POOL_SIZE, applicationName: 'tidings-api' });
  const redis = createRedis(config.REDIS_URL, logger, { name: 'api', failFast: true });
  const broker = new RedisBroker(redis, () => createRedis(config.REDIS_URL, logger, { name: 'api-sub' }), logger);
  const offlineQueue = new RedisOfflineQueue(redis, config.REDIS_PREFIX, config.OFFLINE_QUEUE_SIZE);
  const publisher = new EventPublisher(broker, channelsFor(config.REDIS_PREFIX), database.sql, logger, offlineQueue);
  const releases = scheduledQueue(redis, config.REDIS_PREFIX);
  releases.on('error', (error) => logger.warn({ err: error.message }, 'scheduled queue error'));
  const emails = emailQueue(redis, config.REDIS_PREFIX);
  emails.on('error', (error) => logger.warn({ err: error.message }, 'email queue error'));
  const emailOutbox = bullEmailOutbox(database.sql, emails, { attempts: config.EMAIL_MAX_ATTEMPTS, backoffMs: config.EMAIL_RETRY_BASE_MS });
  const presence = new RedisPresenceReader(redis, config.REDIS_PREFIX);
  const registry = createRegistry('api');
  const created = metricFactories.notificationsCreated(registry);
  const inbox = new Inbox(database, publisher);
  const renderer = new EmailRenderer({ branding: emailBranding(config) });
  const deps: ApiDeps = {
    config,
    logger,
    database,
    redis,
    verify: createVerifier(config),
    publisher,
    inbox,
    directory: new Directory(database),
    admin: new AdminQueries(database),
    adminNotifications: new AdminNotifications(database, inbox),
    emails: emailComposer({
      renderer,
      publicUrl: config.PUBLIC_URL,
      unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
      digestItems: (userId, since, until) => digestEntries(database.sql, userId, since, until),
    }),
    stats: new AdminStats(database, presence, emails),
    presence,
    tickets: new RedisConnectTickets(redis, config.REDIS_PREFIX),
    create: {
      sql: database.sql,
      publisher,
      emailOutbox,
      logger,
      broadcastThreshold: config.BROADCAST_THRESHOLD,
      onCreated: (type, count) => created.inc({ type }, count),
      onScheduled: (broadcastId, sendAt) =>
        enqueueRelease(releases, broadcastId, sendAt).catch((error: unknown) =>
          logger.warn({ err: (error as Error).message, broadcast: broadcastId }, 'could not enqueue the release; the worker sweep will release it'),
        ),
    },
    registry,
  };
  const server = guardHttpServer(createServer(httpServerOptions, requestListener(createApp(deps))), logger);
  server.listen(port);
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await publisher.flush();
      await Promise.all([releases.close(), emails.close()]);
      await broker.close();
      redis.disconnect();
      await database.close();
    })());
  return { url, deps, close };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runService({ name: 'api', prepare: (config) => prepareDatabase(config.DATABASE_URL), start: startApi });
}
