import { Redis } from 'ioredis';
import { REDIS_PREFIX, REDIS_URL, wallNow } from './setup.ts';

/**
 * Listens on the Tidings bus like a gateway would, to timestamp when each bench notification was
 * published to Redis. That splits the end-to-end latency into "API (POST → publish)" and
 * "gateway path (publish → frame at the client)" for both systems, which share the same bus.
 */
export class BusTap {
  private readonly redis = new Redis(REDIS_URL, { lazyConnect: true });
  /** Publish time per latency key `k`. */
  published = new Map<number, number>();
  /** Publish time per broadcast round `b`. */
  broadcasts = new Map<number, number>();

  async start(): Promise<void> {
    await this.redis.connect();
    this.redis.on('pmessage', (_pattern: string, _channel: string, payload: string) => this.record(payload));
    this.redis.on('message', (_channel: string, payload: string) => this.record(payload));
    await this.redis.psubscribe(`${REDIS_PREFIX}user:*`);
    await this.redis.subscribe(`${REDIS_PREFIX}broadcast`);
  }

  private record(payload: string): void {
    const at = wallNow();
    try {
      const event = JSON.parse(payload) as { notification?: { data?: { k?: number; b?: number } } };
      const data = event.notification?.data;
      if (data?.k !== undefined) this.published.set(data.k, at);
      else if (data?.b !== undefined) this.broadcasts.set(data.b, at);
    } catch {
      // not ours
    }
  }

  reset(): void {
    this.published.clear();
  }

  stop(): void {
    this.redis.disconnect();
  }
}
