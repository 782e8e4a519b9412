import { compareConnections, type ConnectionInfo, type PresenceReader, type PresenceWriter } from './presence.ts';

type StoredConnection = Omit<ConnectionInfo, 'gateway_id'>;

/**
 * Presence held in one process, for a single node and for tests: what Redis holds for the Redis
 * implementation. Leases are measured on `now` (milliseconds), so tests can move time by hand.
 */
export class MemoryPresenceStore {
  /** Gateway id → the time its lease runs out. */
  readonly leases = new Map<string, number>();
  /** Gateway id → its connections by connection id. */
  readonly connections = new Map<string, Map<string, StoredConnection>>();

  constructor(readonly now: () => number = Date.now) {}

  isLive(gatewayId: string): boolean {
    const until = this.leases.get(gatewayId);
    return until !== undefined && this.now() < until;
  }
}

export class MemoryPresenceReader implements PresenceReader {
  constructor(private readonly store: MemoryPresenceStore) {}

  async gateways(): Promise<string[]> {
    return [...this.store.leases.keys()].filter((id) => this.store.isLive(id)).sort();
  }

  async connections(userId?: string): Promise<ConnectionInfo[]> {
    const result: ConnectionInfo[] = [];
    for (const [gatewayId, connections] of this.store.connections) {
      if (!this.store.isLive(gatewayId)) continue;
      for (const connection of connections.values()) {
        if (userId === undefined || connection.user_id === userId) result.push({ ...connection, gateway_id: gatewayId });
      }
    }
    return result.sort(compareConnections);
  }
}

export class MemoryPresenceWriter implements PresenceWriter {
  constructor(
    private readonly store: MemoryPresenceStore,
    private readonly gatewayId: string,
  ) {}

  async renewLease(leaseMs: number): Promise<void> {
    this.store.leases.set(this.gatewayId, this.store.now() + leaseMs);
  }

  async add(connection: ConnectionInfo): Promise<void> {
    let connections = this.store.connections.get(this.gatewayId);
    if (!connections) this.store.connections.set(this.gatewayId, (connections = new Map<string, StoredConnection>()));
    connections.set(connection.connection_id, {
      connection_id: connection.connection_id,
      user_id: connection.user_id,
      connected_at: connection.connected_at,
    });
  }

  async remove(connection: Pick<ConnectionInfo, 'connection_id' | 'user_id'>): Promise<void> {
    this.store.connections.get(this.gatewayId)?.delete(connection.connection_id);
  }

  async reapDead(): Promise<number> {
    let removed = 0;
    for (const gatewayId of [...this.store.leases.keys()]) {
      if (this.store.isLive(gatewayId)) continue;
      removed += this.drop(gatewayId);
    }
    return removed;
  }

  async unregister(): Promise<void> {
    this.drop(this.gatewayId);
  }

  private drop(gatewayId: string): number {
    const removed = this.store.connections.get(gatewayId)?.size ?? 0;
    this.store.connections.delete(gatewayId);
    this.store.leases.delete(gatewayId);
    return removed;
  }
}
