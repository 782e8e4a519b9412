import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { closeCodes, serverFrames } from '@tidings/protocol';
import { AppError, rawErrorResponse, requestTarget, type Logger } from '@tidings/server-kit';
import type { Admission } from './admission.ts';
import { handleClientMessage, type ClientMessageDeps } from './client-messages.ts';
import { Connection } from './connection.ts';
import type { ConnectionLifecycle } from './connection-lifecycle.ts';
import { WsSink } from './sinks.ts';
import { BEARER_PROTOCOL_PREFIX, type Authenticated } from './upgrade-auth.ts';

export interface WebSocketEndpointDeps {
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  admission: Admission;
  lifecycle: ConnectionLifecycle;
  messages: ClientMessageDeps;
  /** Called on its own, by the sink of a connection that fell behind. */
  onSlowConsumer: () => void;
  logger: Logger;
  draining(): boolean;
}

const CONNECTION = Symbol('connection');
type TaggedSocket = WebSocket & { [CONNECTION]?: Connection };

function destroySocket(this: Duplex): void {
  this.destroy();
}

function refuse(socket: TaggedSocket, code: number, reason: string): void {
  socket.on('error', () => {});
  socket.close(code, reason);
}

/** Functions rather than methods: each is registered on its own, and ws calls it with the socket as `this`. */
interface SocketListeners {
  message: (this: TaggedSocket, data: RawData, isBinary: boolean) => void;
  pong: (this: TaggedSocket) => void;
  close: (this: TaggedSocket) => void;
  error: (this: TaggedSocket, error: Error) => void;
}

/** A text frame's contents: ws hands a Buffer with its default `binaryType` (`nodebuffer`), which this server keeps. */
function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  return Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString();
}

/** Listeners shared by every socket: `this` is the socket, so no closure is made per connection. */
function socketListeners(deps: WebSocketEndpointDeps): SocketListeners {
  return {
    message(data, isBinary) {
      const connection = this[CONNECTION];
      if (!connection) return;
      connection.alive = true;
      if (isBinary) {
        connection.send(serverFrames.error('invalid_message', 'binary frames are not accepted; send JSON text'));
        return;
      }
      void handleClientMessage(deps.messages, connection, frameText(data));
    },
    pong() {
      const connection = this[CONNECTION];
      if (connection) connection.alive = true;
    },
    close() {
      const connection = this[CONNECTION];
      if (connection) deps.lifecycle.closed(connection);
    },
    error(error) {
      deps.logger.debug({ err: error.message, user: this[CONNECTION]?.userId }, 'socket error');
    },
  };
}

/**
 * `WS /v1/ws`. Authentication happens in the `upgrade` handler, so no unauthenticated socket is
 * ever registered; a bad token still completes the handshake and is closed with 1008, because a
 * browser cannot read an HTTP 401 there.
 */
export class WebSocketEndpoint {
  /** Closed last when the gateway drains. */
  readonly wss: WebSocketServer;
  private readonly listeners: SocketListeners;

  constructor(private readonly deps: WebSocketEndpointDeps) {
    this.listeners = socketListeners(deps);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.maxPayloadBytes,
      handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX)) ?? false,
    });
    // A handshake ws cannot accept (wrong method, no key, unknown version, a bad subprotocol list)
    // gets the JSON error shape too.
    this.wss.on('wsClientError', (error: Error, socket: Duplex) => {
      socket.end(rawErrorResponse(new AppError('bad_request', `not a valid websocket handshake: ${error.message}`)));
    });
  }

  /** The HTTP server's `upgrade` listener. */
  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Until ws takes the socket over, a reset by the client must not become an unhandled 'error'.
    socket.on('error', destroySocket);
    const { pathname, query } = requestTarget(req);
    const draining = this.deps.draining();
    if (pathname !== '/v1/ws' || draining) {
      socket.end(
        rawErrorResponse(
          draining
            ? new AppError('draining', 'the gateway is draining; connect to another')
            : new AppError('not_found', `no websocket endpoint at ${pathname}`),
        ),
      );
      return;
    }
    this.admit(req, socket, head, query).catch((error: unknown) => {
      this.deps.logger.error({ err: (error as Error).message }, 'websocket handshake failed');
      socket.destroy();
    });
  };

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): Promise<void> {
    const { admission, logger } = this.deps;
    const refusal = await admission.rateLimited(req);
    if (refusal) {
      socket.end(rawErrorResponse(refusal.error, refusal.headers));
      return;
    }
    const auth = await admission.authenticate(req, query);
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws: TaggedSocket) => {
      socket.removeListener('error', destroySocket);
      if (!auth.ok) {
        logger.info({ reason: auth.error.message }, 'websocket refused');
        // 1011 when the refusal is ours (tickets unavailable): the client retries; 1008 otherwise.
        refuse(ws, auth.error.status >= 500 ? 1011 : closeCodes.badToken, auth.error.message.slice(0, 120));
        return;
      }
      this.accept(ws, auth);
    });
  }

  private accept(ws: TaggedSocket, auth: Extract<Authenticated, { ok: true }>): void {
    const { admission, logger } = this.deps;
    const userId = auth.principal.userId;
    if (admission.atConnectionCap(userId)) {
      logger.info({ user: userId }, 'websocket refused: too many connections');
      refuse(ws, closeCodes.tooManyConnections, admission.tooManyConnections.message.slice(0, 120));
      return;
    }
    const connection = new Connection(randomUUID(), userId, new WsSink(ws, this.deps.maxBufferedBytes, this.deps.onSlowConsumer), new Date().toISOString());
    connection.expiresAt = auth.principal.expiresAt;
    ws[CONNECTION] = connection;
    ws.on('message', this.listeners.message);
    ws.on('pong', this.listeners.pong);
    ws.on('close', this.listeners.close);
    ws.on('error', this.listeners.error);
    this.deps.lifecycle.begin(connection, auth.since);
  }
}
