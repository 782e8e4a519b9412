import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export interface RedisOptions {
  /**
   * Fail commands at once while disconnected instead of queueing them, and fail a command that gets
   * no answer within `COMMAND_TIMEOUT_MS` (a Redis that hangs, or a partition that has not reset the
   * connection yet): request paths want an error they can fall back from, not a wait.
   */
  failFast?: boolean;
  name: string;
}

/** How long a fail-fast client waits for Redis to answer one command. */
export const COMMAND_TIMEOUT_MS = 1_000;

/**
 * An ioredis client that reconnects for ever with a capped backoff and logs its state changes once
 * each, so an outage is visible and the service recovers by itself when Redis returns.
 */
export function createRedis(url: string, logger: Logger, options: RedisOptions): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    connectionName: options.name,
    enableOfflineQueue: !options.failFast,
    maxRetriesPerRequest: options.failFast ? 0 : 3,
    ...(options.failFast ? { commandTimeout: COMMAND_TIMEOUT_MS } : {}),
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ err: error.message, client: options.name }, 'redis connection lost');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ client: options.name }, 'redis connection restored');
    down = false;
  });
  return client;
}

/** Resolves once the client is connected (at once if it already is); it keeps reconnecting meanwhile. */
export async function redisReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}
