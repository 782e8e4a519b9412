import type { PresenceWriter } from '@tidings/cluster';
import { serverFrames } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import type { Connection } from './connection.ts';
import type { ExpiryWheel } from './expiry.ts';
import type { Hub } from './hub.ts';
import type { Replayer } from './replay.ts';

export interface ConnectionLifecycleDeps {
  hub: Hub;
  replayer: Replayer;
  expiry: ExpiryWheel;
  presence: PresenceWriter;
  gatewayId: string;
  /** The `tidings_ws_connections` gauge. */
  gauge: { inc(): void; dec(): void };
  heartbeatMs: number;
  logger: Logger;
  draining(): boolean;
}

/**
 * The life of an authenticated connection, whatever its transport: registered in the hub, the
 * expiry wheel, the gauge and presence; greeted with `connection_established` and brought up to
 * date by a replay; and taken out of all of them again once, when it closes.
 */
export class ConnectionLifecycle {
  constructor(private readonly deps: ConnectionLifecycleDeps) {}

  /** Opens `connection` in the background; a failed setup closes it with 1011 (the client retries). */
  begin(connection: Connection, since: number | undefined): void {
    this.open(connection, since).catch((error: unknown) => this.openFailed(connection, error));
  }

  /** Registers the connection, then greets it and replays what it missed. */
  private async open(connection: Connection, since: number | undefined): Promise<void> {
    const { hub, replayer, logger } = this.deps;
    connection.beginReplay();
    this.deps.gauge.inc();
    this.deps.expiry.add(connection);
    await hub.add(connection);
    if (connection.closed) return;
    this.addPresence(connection);
    const snapshot = await replayer.snapshot(connection.userId);
    connection.send(
      serverFrames.connectionEstablished({
        connection_id: connection.id,
        user_id: connection.userId,
        heartbeat_ms: this.deps.heartbeatMs,
        last_seq: snapshot.lastSeq,
        unread_count: snapshot.unread,
      }),
    );
    if (since === undefined) {
      connection.lastSeq = snapshot.lastSeq;
      connection.endReplay(snapshot.lastSeq);
    } else {
      connection.lastSeq = since;
      await replayer.replay(connection, since, snapshot.lastSeq);
    }
    logger.info({ user: connection.userId, connection: connection.id, transport: connection.sink.kind, since }, 'client connected');
  }

  /** Writes the connection's presence entry; a failure is logged and the connection carries on. */
  addPresence(connection: Connection): void {
    this.deps.presence
      .add({ connection_id: connection.id, user_id: connection.userId, gateway_id: this.deps.gatewayId, connected_at: connection.connectedAt })
      .catch((error: unknown) => this.deps.logger.warn({ err: (error as Error).message }, 'presence add failed'));
  }

  /** The connection's socket or stream closed. Idempotent. */
  closed(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.deps.gauge.dec();
    this.deps.expiry.remove(connection);
    this.deps.hub.remove(connection);
    // While draining, `unregister` drops every entry of this gateway at once.
    if (this.deps.draining()) return;
    this.deps.presence
      .remove({ connection_id: connection.id, user_id: connection.userId })
      .catch((error: unknown) => this.deps.logger.warn({ err: (error as Error).message }, 'presence remove failed'));
  }

  private openFailed(connection: Connection, error: unknown): void {
    this.deps.logger.error({ err: (error as Error).message, user: connection.userId }, 'connection setup failed');
    connection.sink.close(1011, 'internal error; reconnect');
  }
}
