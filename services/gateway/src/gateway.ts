import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Principal } from '@tidings/auth';
import { channelsFor, type Broker, type ConnectTickets, type OfflineQueue, type PresenceWriter } from '@tidings/cluster';
import type { Config } from '@tidings/config';
import type { Database } from '@tidings/db';
import { Inbox, type EventPublisher } from '@tidings/domain';
import { closeCodes } from '@tidings/protocol';
import { AppError, guardHttpServer, httpServerOptions, metricFactories, rawErrorResponse, requestTarget, type Logger } from '@tidings/server-kit';
import { handleClientMessage, type ClientMessageDeps } from './client-messages.ts';
import { Connection } from './connection.ts';
import { ExpiryWheel } from './expiry.ts';
import { frames } from './frames.ts';
import { Hub } from './hub.ts';
import { serveOps, type OpsState } from './ops-routes.ts';
import { Replayer } from './replay.ts';
import { SseSink, WsSink } from './sinks.ts';
import { inSlices } from './sweep.ts';
import { HandshakeLimit } from './handshake-limit.ts';
import { authenticate, BEARER_PROTOCOL_PREFIX, type Authenticated, type Credentials } from './upgrade-auth.ts';

export interface GatewayDeps {
  config: Config;
  gatewayId: string;
  logger: Logger;
  database: Database;
  redis: Redis;
  broker: Broker;
  publisher: EventPublisher;
  offlineQueue: OfflineQueue;
  presence: PresenceWriter;
  verify: (token: string | undefined) => Principal;
  tickets: ConnectTickets;
  registry: Registry;
}

export interface Gateway {
  server: Server;
  hub: Hub;
  /** Stops accepting, closes every connection with 1012 (reconnect elsewhere), leaves presence. */
  drain(): Promise<void>;
}

const CONNECTION = Symbol('connection');
type TaggedSocket = WebSocket & { [CONNECTION]?: Connection };

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** An error in the JSON shape on a plain HTTP response (SSE, the operator routes). */
function sendError(res: ServerResponse, error: AppError, headers: Record<string, string> = {}): void {
  res.writeHead(error.status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(error.toBody()));
}

/**
 * The gateway: WebSocket and SSE endpoints on one HTTP server. Authentication happens in the
 * `upgrade` handler, so no unauthenticated socket is ever registered; a bad token still completes
 * the handshake and is closed with 1008, because a browser cannot read an HTTP 401 there.
 */
export async function createGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config, logger } = deps;
  const metrics = {
    connections: metricFactories.wsConnections(deps.registry),
    sent: metricFactories.wsMessagesSent(deps.registry),
    latency: metricFactories.deliveryLatency(deps.registry),
    slow: metricFactories.wsSlowConsumerCloses(deps.registry),
  };
  const hub = new Hub(deps.broker, channelsFor(config.REDIS_PREFIX), deps.database.sql, logger, {
    framesWritten: (count) => metrics.sent.inc(count),
    delivered: (createdAt) => metrics.latency.observe(Math.max(0, Date.now() - Date.parse(createdAt)) / 1000),
  });
  const replayer = new Replayer(deps.database.sql, deps.offlineQueue, logger);
  const expiry = new ExpiryWheel();
  const messageDeps: ClientMessageDeps = {
    inbox: new Inbox(deps.database, deps.publisher),
    replayer,
    verify: deps.verify,
    logger,
    onExpiryChanged: (connection) => expiry.add(connection),
    messagesPer10s: config.WS_MESSAGES_PER_10S,
  };
  const onSlowConsumer = () => metrics.slow.inc();
  const credentials: Credentials = { verify: deps.verify, tickets: deps.tickets };
  const handshakes = new HandshakeLimit(config.GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE, config.TRUST_PROXY);
  const tooManyHandshakes = (seconds: number) => new AppError('rate_limited', `too many connection attempts from this address; retry in ${seconds} s`);
  const tooManyConnections = new AppError('rate_limited', `more than ${config.MAX_CONNECTIONS_PER_USER} connections for this user; close one or retry later`);
  // A connection that died without closing keeps its place until the heartbeat sweep drops it.
  const connectionCapRetryAfter = { 'retry-after': String(Math.ceil(config.HEARTBEAT_MS / 1000)) };
  const atConnectionCap = (userId: string) => (hub.connectionsOf(userId)?.size ?? 0) >= config.MAX_CONNECTIONS_PER_USER;
  const startedAt = Date.now();
  let draining = false;

  /** Registers an authenticated connection, then greets it and replays what it missed. */
  async function open(connection: Connection, since: number | undefined): Promise<void> {
    connection.beginReplay();
    metrics.connections.inc();
    expiry.add(connection);
    await hub.add(connection);
    if (connection.closed) return;
    addPresence(connection);
    const snapshot = await replayer.snapshot(connection.userId);
    connection.send(
      JSON.stringify({
        type: 'connection_established',
        connection_id: connection.id,
        user_id: connection.userId,
        heartbeat_ms: config.HEARTBEAT_MS,
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

  function addPresence(connection: Connection): void {
    deps.presence
      .add({ connection_id: connection.id, user_id: connection.userId, gateway_id: deps.gatewayId, connected_at: connection.connectedAt })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'presence add failed'));
  }

  function closed(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    metrics.connections.dec();
    expiry.remove(connection);
    hub.remove(connection);
    // While draining, `unregister` drops every entry of this gateway at once.
    if (draining) return;
    deps.presence
      .remove({ connection_id: connection.id, user_id: connection.userId })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'presence remove failed'));
  }

  function openFailed(connection: Connection, error: unknown): void {
    logger.error({ err: (error as Error).message, user: connection.userId }, 'connection setup failed');
    connection.sink.close(1011, 'internal error; reconnect');
  }

  // Shared listeners: `this` is the socket, so no closure is made per connection.
  function onMessage(this: TaggedSocket, data: RawData, isBinary: boolean): void {
    const connection = this[CONNECTION];
    if (!connection) return;
    connection.alive = true;
    if (isBinary) {
      connection.send(frames.error('invalid_message', 'binary frames are not accepted; send JSON text'));
      return;
    }
    void handleClientMessage(messageDeps, connection, data.toString());
  }
  function onPong(this: TaggedSocket): void {
    const connection = this[CONNECTION];
    if (connection) connection.alive = true;
  }
  function onClose(this: TaggedSocket): void {
    const connection = this[CONNECTION];
    if (connection) closed(connection);
  }
  function onError(this: TaggedSocket, error: Error): void {
    logger.debug({ err: error.message, user: this[CONNECTION]?.userId }, 'socket error');
  }

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: config.WS_MAX_PAYLOAD_BYTES,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX)) ?? false,
  });

  // A handshake ws cannot accept (wrong method, no key, unknown version, a bad subprotocol list)
  // gets the JSON error shape too.
  wss.on('wsClientError', (error: Error, socket: Duplex) => {
    socket.end(rawErrorResponse(new AppError('bad_request', `not a valid websocket handshake: ${error.message}`)));
  });

  function refuse(socket: TaggedSocket, code: number, reason: string): void {
    socket.on('error', () => {});
    socket.close(code, reason);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws takes the socket over, a reset by the client must not become an unhandled 'error'.
    socket.on('error', destroySocket);
    const { pathname, query } = requestTarget(req);
    if (pathname !== '/v1/ws' || draining) {
      socket.end(rawErrorResponse(draining ? new AppError('draining', 'the gateway is draining; connect to another') : new AppError('not_found', `no websocket endpoint at ${pathname}`)));
      return;
    }
    admitUpgrade(req, socket, head, query).catch((error: unknown) => {
      logger.error({ err: (error as Error).message }, 'websocket handshake failed');
      socket.destroy();
    });
  }

  async function admitUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): Promise<void> {
    const retryAfter = await handshakes.check(req);
    if (retryAfter !== undefined) {
      socket.end(rawErrorResponse(tooManyHandshakes(retryAfter), { 'retry-after': String(retryAfter) }));
      return;
    }
    const auth = await authenticate(req, query, credentials, config.GATEWAY_ORIGINS);
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws: TaggedSocket) => {
      socket.removeListener('error', destroySocket);
      if (!auth.ok) {
        logger.info({ reason: auth.error.message }, 'websocket refused');
        // 1011 when the refusal is ours (tickets unavailable): the client retries; 1008 otherwise.
        refuse(ws, auth.error.status >= 500 ? 1011 : closeCodes.badToken, auth.error.message.slice(0, 120));
        return;
      }
      accept(ws, auth);
    });
  }

  function accept(ws: TaggedSocket, auth: Extract<Authenticated, { ok: true }>): void {
    const userId = auth.principal.userId;
    if (atConnectionCap(userId)) {
      logger.info({ user: userId }, 'websocket refused: too many connections');
      refuse(ws, closeCodes.tooManyConnections, tooManyConnections.message.slice(0, 120));
      return;
    }
    const connection = new Connection(randomUUID(), userId, new WsSink(ws, config.WS_MAX_BUFFERED_BYTES, onSlowConsumer), new Date().toISOString());
    connection.expiresAt = auth.principal.expiresAt;
    ws[CONNECTION] = connection;
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('close', onClose);
    ws.on('error', onError);
    open(connection, auth.since).catch((error: unknown) => openFailed(connection, error));
  }

  async function openSse(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const retryAfter = await handshakes.check(req);
    if (retryAfter !== undefined) return sendError(res, tooManyHandshakes(retryAfter), { 'retry-after': String(retryAfter) });
    const auth = await authenticate(req, query, credentials, config.GATEWAY_ORIGINS);
    if (res.destroyed) return;
    if (!auth.ok) return sendError(res, auth.error);
    const userId = auth.principal.userId;
    if (atConnectionCap(userId)) {
      logger.info({ user: userId }, 'sse refused: too many connections');
      return sendError(res, tooManyConnections, connectionCapRetryAfter);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {}),
    });
    res.write('retry: 2000\n\n');
    const connection = new Connection(randomUUID(), userId, new SseSink(res, config.WS_MAX_BUFFERED_BYTES, onSlowConsumer), new Date().toISOString());
    connection.expiresAt = auth.principal.expiresAt;
    res.on('close', () => closed(connection));
    open(connection, auth.since).catch((error: unknown) => openFailed(connection, error));
  }

  const ops: OpsState = {
    gatewayId: deps.gatewayId,
    sql: deps.database.sql,
    redis: deps.redis,
    registry: deps.registry,
    startedAt,
    connections: () => hub.size,
    users: () => hub.userCount,
    draining: () => draining,
  };

  const server = createServer(httpServerOptions, (req, res) => {
    const { pathname, query } = requestTarget(req);
    if (req.method === 'GET' && pathname === '/v1/sse') {
      openSse(req, res, query).catch((error: unknown) => {
        logger.error({ err: (error as Error).message }, 'sse setup failed');
        if (!res.headersSent) sendError(res, new AppError('internal_error', 'the stream could not be set up'));
        else res.destroy();
      });
      return;
    }
    if (req.method === 'GET' && serveOps(ops, pathname, res)) return;
    sendError(res, new AppError('not_found', `no route for ${req.method} ${pathname}`));
  });
  guardHttpServer(server, logger);
  server.on('upgrade', onUpgrade);

  await hub.start();
  // After a Redis outage the messages published meanwhile were lost to us: resync every connection.
  deps.broker.onResubscribed(() => {
    logger.info({ connections: hub.size }, 'redis subscriptions restored; resyncing connections');
    for (const connection of hub.all()) {
      if (!connection.replaying) {
        replayer.replay(connection, connection.lastSeq).catch((error: unknown) => logger.warn({ err: (error as Error).message, user: connection.userId }, 'resync failed'));
      }
    }
  });

  const leaseMs = config.HEARTBEAT_MS * 2;
  // Redis may have come back empty (restarted without persistence): once the client that writes
  // presence is connected again, the lease and every local connection are written again (the same
  // entries, if Redis kept them).
  let redisLost = false;
  deps.redis.on('close', () => {
    redisLost = true;
  });
  deps.redis.on('ready', () => {
    if (!redisLost || draining) return;
    redisLost = false;
    logger.info({ connections: hub.size }, 'redis connection restored; writing presence again');
    deps.presence.renewLease(leaseMs).catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'presence lease renewal failed'));
    for (const connection of hub.all()) if (!connection.closed) addPresence(connection);
  });
  await deps.presence.renewLease(leaseMs);
  await deps.presence.reapDead().catch(() => 0);

  /**
   * One sweep for every connection, in slices: a WebSocket that did not answer the previous ping
   * is terminated, the others are pinged (a protocol ping: clients see nothing, browsers answer by
   * themselves); SSE streams, which cannot be pinged, get a `heartbeat` frame.
   */
  let sweeping = false;
  const heartbeat = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void inSlices([...hub.all()], (connection) => {
      if (connection.closed) return;
      if (connection.sink instanceof WsSink) {
        if (!connection.alive) {
          connection.sink.terminate();
          return;
        }
        connection.alive = false;
        connection.sink.socket.ping();
      } else {
        connection.send(frames.heartbeat);
      }
    }).finally(() => {
      sweeping = false;
    });
    deps.presence.renewLease(leaseMs).catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'presence lease renewal failed'));
    deps.presence.reapDead().catch(() => 0);
  }, config.HEARTBEAT_MS).unref();

  const expirySweep = setInterval(() => {
    for (const connection of expiry.takeExpired(Date.now() / 1000)) {
      logger.info({ user: connection.userId, connection: connection.id }, 'token expired; connection closed');
      connection.sink.close(closeCodes.tokenExpired, 'token expired');
    }
  }, 1_000).unref();

  let draining$: Promise<void> | undefined;
  const drain = () =>
    (draining$ ??= (async () => {
      draining = true;
      clearInterval(heartbeat);
      clearInterval(expirySweep);
      const connections = [...hub.all()];
      logger.info({ connections: connections.length }, 'gateway draining');
      for (const connection of connections) connection.sink.close(closeCodes.gatewayDraining, 'gateway draining; reconnect');
      const stragglers = setTimeout(() => {
        for (const connection of hub.all()) connection.sink.terminate();
        server.closeAllConnections();
      }, 5_000).unref();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(stragglers);
      await deps.presence.unregister().catch(() => {});
      await deps.broker.close();
      wss.close();
    })());

  return { server, hub, drain };
}
