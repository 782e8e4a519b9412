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
 * Who is connected, as the API and operators see it.
 *
 * Guarantee: a connection is listed while its gateway's lease lives, from the moment the
 * gateway's `add` resolved until its `remove`, the gateway's `unregister` or a `reapDead` that
 * found the lease expired resolved. So a reader may still list connections that are gone: those
 * of a crashed gateway until its lease runs out (two heartbeats), and one whose `remove` failed for
 * as long as its gateway lives.
 */
export interface PresenceReader {
  /** Ids of the gateways whose lease is live, each once, in ascending order. */
  gateways(): Promise<string[]>;
  /**
   * The listed connections of one user (none for an unknown user) or, without `userId`, of
   * everyone, each once, in the order of `compareConnections`.
   */
  connections(userId?: string): Promise<ConnectionInfo[]>;
}

/** The order `PresenceReader.connections` answers in: oldest first, then by connection id. */
export function compareConnections(a: ConnectionInfo, b: ConnectionInfo): number {
  return a.connected_at.localeCompare(b.connected_at) || a.connection_id.localeCompare(b.connection_id);
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
    return result.sort(compareConnections);
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

/**
 * One gateway's side of presence: its lease and its connections.
 *
 * Guarantee: what a call wrote is seen by every reader once it resolved. A gateway is live while
 * its lease is: the lease runs out `leaseMs` after the last `renewLease`, and from then on the
 * gateway and its connections are no longer listed, whatever is still stored. The stored entries of
 * an expired gateway stay (unlisted, listed again if that gateway renews in time) until a live
 * gateway's `reapDead` removes them.
 */
export interface PresenceWriter {
  /** Registers the gateway and takes (or renews) its lease: live for `leaseMs` from now. */
  renewLease(leaseMs: number): Promise<void>;
  /** Lists `connection` under this gateway. Adding the same connection id again replaces it. */
  add(connection: ConnectionInfo): Promise<void>;
  /** Stops listing a connection of this gateway. Unknown connections are ignored. */
  remove(connection: Pick<ConnectionInfo, 'connection_id' | 'user_id'>): Promise<void>;
  /**
   * Deletes the stored entries of every gateway whose lease has expired, so a renewal after that
   * lists none of them again. Answers how many connections it removed. Live gateways keep theirs.
   */
  reapDead(): Promise<number>;
  /**
   * On shutdown: drops the lease and every entry of this gateway, so neither is listed any more.
   * Idempotent.
   */
  unregister(): Promise<void>;
}

export class RedisPresenceWriter implements PresenceWriter {
  private readonly keys: ReturnType<typeof presenceKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly gatewayId: string,
  ) {
    this.keys = presenceKeys(prefix);
  }

  async renewLease(leaseMs: number): Promise<void> {
    await this.redis.multi().sadd(this.keys.gateways, this.gatewayId).set(this.keys.lease(this.gatewayId), '1', 'PX', leaseMs).exec();
  }

  async add(connection: ConnectionInfo): Promise<void> {
    await this.redis
      .multi()
      .hset(
        this.keys.gatewayConnections(this.gatewayId),
        connection.connection_id,
        JSON.stringify({ user_id: connection.user_id, connected_at: connection.connected_at }),
      )
      .hset(this.keys.user(connection.user_id), connection.connection_id, JSON.stringify({ gateway_id: this.gatewayId, connected_at: connection.connected_at }))
      .exec();
  }

  async remove(connection: Pick<ConnectionInfo, 'connection_id' | 'user_id'>): Promise<void> {
    await this.redis
      .multi()
      .hdel(this.keys.gatewayConnections(this.gatewayId), connection.connection_id)
      .hdel(this.keys.user(connection.user_id), connection.connection_id)
      .exec();
  }

  async reapDead(): Promise<number> {
    const ids = await this.redis.smembers(this.keys.gateways);
    if (ids.length === 0) return 0;
    const leases = await this.redis.mget(ids.map((id) => this.keys.lease(id)));
    let removed = 0;
    for (const [index, gatewayId] of ids.entries()) {
      if (leases[index] !== null) continue;
      removed += await this.dropGateway(gatewayId);
    }
    return removed;
  }

  async unregister(): Promise<void> {
    await this.redis.del(this.keys.lease(this.gatewayId));
    await this.dropGateway(this.gatewayId);
  }

  private async dropGateway(gatewayId: string): Promise<number> {
    const entries = await this.redis.hgetall(this.keys.gatewayConnections(gatewayId));
    const pipeline = this.redis.pipeline();
    for (const [connectionId, raw] of Object.entries(entries)) {
      const userId = parseEntry(raw)?.user_id;
      if (typeof userId === 'string') pipeline.hdel(this.keys.user(userId), connectionId);
    }
    pipeline.del(this.keys.gatewayConnections(gatewayId)).srem(this.keys.gateways, gatewayId);
    await pipeline.exec();
    return Object.keys(entries).length;
  }
}
