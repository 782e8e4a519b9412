import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Preferences, WireNotification } from '@tidings/client';
import { frameText, type FakeGateway } from '../../../client/src/testing/fake-gateway.ts';
import type { UserNotificationType } from '../../src/preferences.ts';

/** A request the fake API answered, as the tests look at it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

interface Row {
  /** Shared with the fake gateway, which greets with the count of unread ones. */
  wire: WireNotification;
  read_at: string | null;
  deleted: boolean;
}

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-max-age': '600',
};

/**
 * The REST routes the React hooks use, in memory, for one user, next to the SDK's fake gateway:
 * a change made over REST (or over the gateway's WebSocket: `mark_read`, `mark_all_read`) is sent
 * to every connection as the real services do (`notification_read`, …, then `unread_count`).
 */
export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  preferences: Preferences = { in_app_enabled: true, email_enabled: false, digest: 'off', types: {} };
  readonly types: UserNotificationType[] = [
    { key: 'comment.created', description: 'Comments', default_in_app: true, default_email: false, critical: false },
    { key: 'security.alert', description: 'Security alerts', default_in_app: true, default_email: true, critical: true },
  ];
  private readonly rows: Row[] = [];

  private constructor(
    private readonly server: Server,
    private readonly gateway: FakeGateway,
  ) {
    server.on('request', (req, res) => void this.handle(req, res));
    const push = gateway.ws.push.bind(gateway.ws);
    gateway.ws.push = (...records) => {
      for (const record of records) record.socket.on('message', (data) => this.onClientFrame(JSON.parse(frameText(data)) as Record<string, unknown>));
      return push(...records);
    };
  }

  static async start(gateway: FakeGateway): Promise<FakeApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeApi(server, gateway);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next notification of the user; sent live to every connection unless `live` is false. */
  add(options: { live?: boolean; type?: string } = {}): WireNotification {
    const live = options.live ?? true;
    const wire = this.gateway.add({ live, type: options.type });
    this.rows.push({ wire, read_at: null, deleted: false });
    if (live) this.sendCount();
    return wire;
  }

  get unreadCount(): number {
    return this.live().filter((row) => !row.wire.is_read).length;
  }

  /** The list requests, in order. */
  get listRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.path === '/v1/notifications');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private live(): Row[] {
    return this.rows.filter((row) => !row.deleted);
  }

  private sendCount(): void {
    this.gateway.broadcast({ type: 'unread_count', count: this.unreadCount });
  }

  private setRead(rows: Row[], read: boolean): string[] {
    const changed = rows.filter((row) => row.wire.is_read !== read);
    for (const row of changed) {
      row.wire.is_read = read;
      row.read_at = read ? new Date().toISOString() : null;
    }
    const ids = changed.map((row) => row.wire.id);
    if (ids.length > 0) {
      this.gateway.broadcast({ type: read ? 'notification_read' : 'notification_unread', ids });
      this.sendCount();
    }
    return ids;
  }

  private readAll(type: string | undefined): number {
    const rows = this.live().filter((row) => !row.wire.is_read && (type === undefined || row.wire.type === type));
    rows.forEach((row) => ((row.wire.is_read = true), (row.read_at = new Date().toISOString())));
    this.gateway.broadcast(type === undefined ? { type: 'all_read' } : { type: 'all_read', type_filter: type });
    this.sendCount();
    return rows.length;
  }

  private remove(rows: Row[]): number {
    for (const row of rows) row.deleted = true;
    if (rows.length > 0) {
      this.gateway.broadcast({ type: 'notification_deleted', ids: rows.map((row) => row.wire.id) });
      this.sendCount();
    }
    return rows.length;
  }

  private byIds(ids: readonly unknown[]): Row[] {
    return this.live().filter((row) => ids.includes(row.wire.id));
  }

  private onClientFrame(frame: Record<string, unknown>): void {
    if (frame.type === 'mark_read') this.setRead(this.byIds(frame.ids as string[]), true);
    if (frame.type === 'mark_all_read') this.readAll(frame.type_filter as string | undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const url = new URL(req.url ?? '/', this.url);
    const text = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => resolve(data));
    });
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
    };
    this.requests.push(request);
    const send = (status: number, payload?: unknown) =>
      payload === undefined
        ? res.writeHead(status, cors).end()
        : res.writeHead(status, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(payload));
    if (!request.authorization?.startsWith('Bearer ')) return void send(401, { error: { code: 'unauthorized', message: 'no token' } });
    const answer = this.route(request);
    if (answer === undefined) return void send(404, { error: { code: 'not_found', message: `no route ${request.method} ${request.path}` } });
    send(answer.status, answer.body);
  }

  private route({ method, path, query, body }: RecordedRequest): { status: number; body?: unknown } | undefined {
    const input = (body ?? {}) as Record<string, unknown>;
    const match = /^\/v1\/notifications\/([^/]+)(\/read|\/unread)?$/.exec(path);
    const one = match && !['unread-count', 'read', 'read-all', 'delete'].includes(match[1]!) ? match : null;
    const route = `${method} ${one ? `/v1/notifications/:id${one[2] ?? ''}` : path}`;
    const row = one ? this.byIds([decodeURIComponent(one[1]!)])[0] : undefined;
    switch (route) {
      case 'GET /v1/notifications':
        return { status: 200, body: this.list(query) };
      case 'GET /v1/notifications/unread-count':
        return { status: 200, body: { count: this.unreadCount } };
      case 'POST /v1/notifications/:id/read':
      case 'POST /v1/notifications/:id/unread':
        if (!row) return { status: 404, body: { error: { code: 'not_found', message: 'no such notification' } } };
        this.setRead([row], route.endsWith('/read'));
        return { status: 204 };
      case 'DELETE /v1/notifications/:id':
        if (!row) return { status: 404, body: { error: { code: 'not_found', message: 'no such notification' } } };
        this.remove([row]);
        return { status: 204 };
      case 'POST /v1/notifications/read':
        return { status: 200, body: { updated: this.setRead(this.byIds(input.ids as string[]), true).length } };
      case 'POST /v1/notifications/read-all':
        return { status: 200, body: { updated: this.readAll(input.type as string | undefined) } };
      case 'POST /v1/notifications/delete': {
        const rows = input.all_read === true ? this.live().filter((r) => r.wire.is_read) : this.byIds(input.ids as string[]);
        return { status: 200, body: { deleted: this.remove(rows) } };
      }
      case 'GET /v1/preferences':
        return { status: 200, body: this.preferences };
      case 'PUT /v1/preferences':
        return { status: 200, body: this.updatePreferences(input) };
      case 'GET /v1/notification-types':
        return { status: 200, body: { items: this.types } };
      default:
        return undefined;
    }
  }

  private list(query: Record<string, string>): { items: unknown[]; next_cursor: string | null } {
    const limit = Number(query.limit ?? 20);
    const unreadOnly = query.unread_only === 'true' || query.unread_only === '1';
    const q = query.q?.toLowerCase();
    const before = query.cursor === undefined ? Infinity : Number(query.cursor);
    const matching = this.live()
      .filter(({ wire }) => wire.seq < before)
      .filter(({ wire }) => !unreadOnly || !wire.is_read)
      .filter(({ wire }) => query.type === undefined || wire.type === query.type)
      .filter(({ wire }) => q === undefined || wire.title.toLowerCase().includes(q) || wire.body.toLowerCase().includes(q))
      .sort((a, b) => b.wire.seq - a.wire.seq);
    const page = matching.slice(0, limit);
    return {
      items: page.map(({ wire, read_at }) => ({ ...wire, user_id: 'alice', read_at })),
      next_cursor: matching.length > limit ? String(page.at(-1)!.wire.seq) : null,
    };
  }

  private updatePreferences(change: Record<string, unknown>): Preferences {
    const { types, ...rest } = change as Partial<Preferences> & { types?: Record<string, Preferences['types'][string] | null> };
    const merged = { ...this.preferences.types };
    for (const [key, value] of Object.entries(types ?? {})) {
      if (value === null) delete merged[key];
      else merged[key] = { ...merged[key], ...value };
    }
    this.preferences = { ...this.preferences, ...rest, types: merged };
    return this.preferences;
  }
}
