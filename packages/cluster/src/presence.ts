import type { Redis } from 'ioredis';

/** One open WebSocket or SSE connection, as any service can see it. */
export interface ConnectionInfo {
  connection_id: string;
  user_id: string;
  gateway_id: string;
  connected_at: string;
}

/**
 * Where presence lives in Redis. Gateways write it; the API and operators read it.
 *
 * - `{prefix}presence:gateways` — set of gateway ids that have registered.
 * - `{prefix}presence:lease:{gatewayId}` — the gateway's liveness lease, a key with a TTL of two
 *   heartbeats that the gateway renews. A gateway without a lease is dead, and so are its
 *   connections, whatever the hashes below still say.
 * - `{prefix}presence:conns:{gatewayId}` — hash, connection id → JSON `{ user_id, connected_at }`.
 * - `{prefix}presence:user:{userId}` — hash, connection id → JSON `{ gateway_id, connected_at }`.
 */
export function presenceKeys(prefix: string) {
  return {
    gateways: `${prefix}presence:gateways`,
    lease: (gatewayId: string) => `${prefix}presence:lease:${gatewayId}`,
    gatewayConnections: (gatewayId: string) => `${prefix}presence:conns:${gatewayId}`,
    user: (userId: string) => `${prefix}presence:user:${userId}`,
  };
}

/**
 * Who is connected. Guarantee: eventually consistent; a connection of a crashed gateway stops being
 * reported once that gateway's lease expires (two heartbeats).
 */
export interface PresenceReader {
  /** Live gateway ids. */
  gateways(): Promise<string[]>;
  /** Live connections, of one user or of everyone. */
  connections(userId?: string): Promise<ConnectionInfo[]>;
}

export class RedisPresenceReader implements PresenceReader {
  private readonly keys: ReturnType<typeof presenceKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = presenceKeys(prefix);
  }

  async gateways(): Promise<string[]> {
    const ids = await this.redis.smembers(this.keys.gateways);
    if (ids.length === 0) return [];
    const alive = await this.redis.mget(ids.map((id) => this.keys.lease(id)));
    return ids.filter((_, index) => alive[index] !== null).sort();
  }

  async connections(userId?: string): Promise<ConnectionInfo[]> {
    const live = new Set(await this.gateways());
    const result: ConnectionInfo[] = [];
    if (userId !== undefined) {
      const entries = await this.redis.hgetall(this.keys.user(userId));
      for (const [connectionId, raw] of Object.entries(entries)) {
        const entry = parseEntry(raw);
        if (entry && typeof entry.gateway_id === 'string' && live.has(entry.gateway_id)) {
          result.push({ connection_id: connectionId, user_id: userId, gateway_id: entry.gateway_id, connected_at: String(entry.connected_at) });
        }
      }
    } else {
      for (const gatewayId of live) {
        const entries = await this.redis.hgetall(this.keys.gatewayConnections(gatewayId));
        for (const [connectionId, raw] of Object.entries(entries)) {
          const entry = parseEntry(raw);
          if (entry && typeof entry.user_id === 'string') {
            result.push({ connection_id: connectionId, user_id: entry.user_id, gateway_id: gatewayId, connected_at: String(entry.connected_at) });
          }
        }
      }
    }
    return result.sort((a, b) => a.connected_at.localeCompare(b.connected_at) || a.connection_id.localeCompare(b.connection_id));
  }
}

function parseEntry(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
