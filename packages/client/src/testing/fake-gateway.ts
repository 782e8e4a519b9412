import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { WireNotification } from '@tidings/protocol';

/**
 * A small stand-in for the gateway, for the SDK's tests: it speaks the protocol of DESIGN.md
 * ("Gateway protocol") over real sockets on 127.0.0.1, keeps one user's notifications in memory,
 * and lets a test misbehave on purpose (skip live frames, replay overlaps, close with any code,
 * refuse WebSockets, send garbage, go silent).
 */
export interface FakeGatewayOptions {
  /** Answers whether a token is accepted. @defaultValue any non-empty token */
  acceptToken?: (token: string | undefined) => boolean;
  /** The close code for a WebSocket whose token `acceptToken` refused. @defaultValue 1008 */
  refuseCode?: number;
  /** Answers whether to refuse an SSE stream with 429, as the gateway does past `MAX_CONNECTIONS_PER_USER`. @defaultValue never */
  tooManyStreams?: () => boolean;
  /** Answer WebSocket upgrades with HTTP 404, as a proxy that blocks WebSockets would. */
  refuseWebSocket?: boolean;
  heartbeatMs?: number;
  /** Replays start this many seqs before `since`, to mimic at-least-once delivery. */
  replayOverlap?: number;
}

export interface WsRecord {
  socket: WebSocket;
  url: URL;
  token: string | undefined;
  /** The subprotocol the client offered (`bearer.<jwt>`), if any. */
  protocol: string | undefined;
  since: number | undefined;
  /** Client frames, parsed. */
  received: Array<Record<string, unknown>>;
}

export interface SseRecord {
  response: ServerResponse;
  url: URL;
  /** The token behind the stream's ticket (the URL carries only the ticket). */
  token: string | undefined;
  since: number | undefined;
  lastEventId: string | undefined;
}

interface Stored {
  notification: WireNotification;
  deleted: boolean;
}

export class FakeGateway {
  readonly ws: WsRecord[] = [];
  readonly sse: SseRecord[] = [];
  readonly options: Required<FakeGatewayOptions>;
  /** When true the gateway ignores pings and sends nothing (a dead link that TCP has not noticed). */
  muted = false;
  private readonly stored: Stored[] = [];
  /** Tickets issued and not used yet, with the token each was issued for. */
  private readonly tickets = new Map<string, string>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith('bearer.')) ?? false,
  });

  private constructor(
    private readonly server: Server,
    options: FakeGatewayOptions,
  ) {
    this.options = {
      acceptToken: (token) => Boolean(token),
      refuseCode: 1008,
      tooManyStreams: () => false,
      refuseWebSocket: false,
      heartbeatMs: 30_000,
      replayOverlap: 0,
      ...options,
    };
    server.on('upgrade', (req, socket, head) => {
      if (this.options.refuseWebSocket) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.openWs(req, ws));
    });
    server.on('request', (req, res) => (req.method === 'POST' ? this.issueTicket(req, res) : this.openSse(req, res)));
  }

  static async start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeGateway(server, options);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get lastSeq(): number {
    return this.stored.at(-1)?.notification.seq ?? 0;
  }

  /** Stores the next notification of the user and, when `live`, sends it to every open connection. */
  add(options: { live?: boolean; type?: string; deleted?: boolean } = {}): WireNotification {
    const seq = this.lastSeq + 1;
    const notification = wireNotification(seq, options.type);
    this.stored.push({ notification, deleted: options.deleted ?? false });
    if (options.live ?? true) this.broadcast({ type: 'notification', notification }, seq);
    return notification;
  }

  /** Sends a frame to every open WebSocket and SSE stream. */
  broadcast(frame: object, seq?: number): void {
    const data = JSON.stringify(frame);
    for (const record of this.ws) if (record.socket.readyState === 1) record.socket.send(data);
    for (const record of this.sse) writeSse(record.response, data, seq);
  }

  /** Sends text as it is (garbage included) to every open WebSocket. */
  sendRaw(data: string): void {
    for (const record of this.ws) if (record.socket.readyState === 1) record.socket.send(data);
  }

  /** Closes every connection with `code`: a WebSocket close frame, or the SSE `close` event. */
  closeAll(code: number, reason = 'test'): void {
    for (const record of this.ws) if (record.socket.readyState === 1) record.socket.close(code, reason);
    for (const record of this.sse) {
      if (!record.response.writableEnded) record.response.end(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
    }
  }

  /** Connections open right now (WebSockets and SSE streams). */
  get openConnections(): number {
    return this.ws.filter((r) => r.socket.readyState === 1).length + this.sse.filter((r) => !r.response.writableEnded && !r.response.destroyed).length;
  }

  /** Every client frame received on any WebSocket, in order. */
  get received(): Array<Record<string, unknown>> {
    return this.ws.flatMap((record) => record.received);
  }

  async stop(): Promise<void> {
    for (const record of this.ws) record.socket.terminate();
    for (const record of this.sse) record.response.destroy();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private openWs(req: IncomingMessage, socket: WebSocket): void {
    const url = new URL(req.url ?? '/', this.url);
    const protocol = req.headers['sec-websocket-protocol']
      ?.split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith('bearer.'));
    const token = url.searchParams.get('token') ?? protocol?.slice('bearer.'.length);
    const record: WsRecord = { socket, url, token, protocol, since: parseSeq(url.searchParams.get('since')), received: [] };
    this.ws.push(record);
    if (!this.options.acceptToken(token)) {
      socket.close(this.options.refuseCode, 'refused');
      return;
    }
    const send = (frame: object) => socket.send(JSON.stringify(frame));
    socket.on('message', (data) => {
      const frame = JSON.parse(frameText(data)) as Record<string, unknown>;
      record.received.push(frame);
      if (this.muted) return;
      if (frame.type === 'ping') send({ type: 'pong' });
      if (frame.type === 'resume') this.replay(frame.since as number, send);
    });
    const heartbeat = setInterval(() => this.muted || send({ type: 'heartbeat' }), this.options.heartbeatMs);
    socket.on('close', () => clearInterval(heartbeat));
    this.greet(record.since, send);
  }

  /** `POST /v1/connect-tickets`, as the API answers it. */
  private issueTicket(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (new URL(req.url ?? '/', this.url).pathname !== '/v1/connect-tickets' || !this.options.acceptToken(token)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'invalid token' } }));
      return;
    }
    const ticket = `ticket-${this.tickets.size + this.sse.length}-${Math.random().toString(36).slice(2)}`;
    this.tickets.set(ticket, token!);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ticket, expires_in: 30 }));
  }

  private openSse(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname !== '/v1/sse') {
      res.writeHead(404).end();
      return;
    }
    const ticket = url.searchParams.get('ticket') ?? '';
    const token = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    const lastEventId = req.headers['last-event-id'] as string | undefined;
    const record: SseRecord = { response: res, url, token, since: parseSeq(lastEventId ?? url.searchParams.get('since')), lastEventId };
    this.sse.push(record);
    if (!this.options.acceptToken(token)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'invalid token' } }));
      return;
    }
    if (this.options.tooManyStreams()) {
      res
        .writeHead(429, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'rate_limited', message: 'too many connections for this user' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 2000\n\n');
    this.greet(record.since, (frame, seq) => writeSse(res, JSON.stringify(frame), seq));
  }

  private greet(since: number | undefined, send: (frame: object, seq?: number) => void): void {
    send({
      type: 'connection_established',
      connection_id: `c${this.ws.length + this.sse.length}`,
      user_id: 'alice',
      heartbeat_ms: this.options.heartbeatMs,
      last_seq: this.lastSeq,
      unread_count: this.stored.filter((s) => !s.deleted && !s.notification.is_read).length,
    });
    if (since !== undefined) this.replay(since, send);
  }

  private replay(since: number, send: (frame: object, seq?: number) => void): void {
    const from = Math.max(0, since - this.options.replayOverlap);
    const rows = this.stored.filter((s) => s.notification.seq > from && !s.deleted);
    for (const { notification } of rows) send({ type: 'notification', notification }, notification.seq);
    send({ type: 'resume_complete', count: rows.length, last_seq: this.lastSeq });
  }
}

/** A notification of seq `seq` as the gateway sends it, with an id derived from the seq. */
export function wireNotification(seq: number, type = 'comment.created'): WireNotification {
  return {
    id: `00000000-0000-4000-8000-${seq.toString().padStart(12, '0')}`,
    seq,
    type,
    title: `notification ${seq}`,
    body: '',
    data: {},
    icon: null,
    action_url: null,
    priority: 'normal',
    created_at: new Date().toISOString(),
    is_read: false,
  };
}

function writeSse(response: ServerResponse, data: string, seq?: number): void {
  if (!response.writableEnded) response.write(seq === undefined ? `data: ${data}\n\n` : `id: ${seq}\ndata: ${data}\n\n`);
}

/** The text of a WebSocket message as `ws` hands it over: one Buffer, an ArrayBuffer, or fragments. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

function parseSeq(value: string | null | undefined): number | undefined {
  return value === null || value === undefined || value === '' ? undefined : Number(value);
}

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An unsigned JWT with the given claims: the SDK only decodes `exp`, the fake accepts anything. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'alice', ...claims })}.signature`;
}
