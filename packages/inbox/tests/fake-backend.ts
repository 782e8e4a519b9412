import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Preferences, WireNotification } from '@tidings/client';
import { FakeGateway } from '../../client/src/testing/fake-gateway.ts';

/** A REST request the element made, as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** Fields of a notification a test chooses; the rest gets defaults. */
export interface NotificationSeed {
  type?: string;
  title?: string;
  body?: string;
  icon?: string | null;
  action_url?: string | null;
  priority?: WireNotification['priority'];
  is_read?: boolean;
  /** ISO time; default now. */
  created_at?: string;
  data?: Record<string, unknown>;
}

export interface NotificationTypeSeed {
  key: string;
  description: string | null;
  default_in_app: boolean;
  default_email: boolean;
  critical: boolean;
}

/** Makes the next matching requests fail with `status` (or hang until released, with `hold`). */
export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  /** How many requests fail; default every one until removed. */
  times?: number;
}

export interface FakeBackendOptions {
  /** The built bundle, served under `/inbox/`. */
  assetsDir: string;
}

/** What the test page puts on `<tidings-inbox>` and `<html>`. */
export interface PageOptions {
  locale?: string;
  theme?: string;
  dir?: 'ltr' | 'rtl';
  /** Leave out `getToken`, so the page script or the test sets up the element itself. */
  noToken?: boolean;
}

const contentTypes: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.html': 'text/html' };

/**
 * The API side of the element's world, in memory, for one user: the REST routes the element
 * calls (as DESIGN.md "REST" shapes them), the test page with the built bundle, and the SDK's
 * fake gateway for live frames. Every change a REST call makes is also pushed to the gateway's
 * connections as the real API does (`notification_read`, `unread_count`, …), and the gateway's
 * own store holds the same notification objects, so its greeting's unread count agrees.
 */
export class FakeBackend {
  readonly requests: RecordedRequest[] = [];
  readonly failures: Failure[] = [];
  types: NotificationTypeSeed[] = [
    { key: 'comment.created', description: 'Comments', default_in_app: true, default_email: false, critical: false },
    { key: 'mention', description: 'Mentions', default_in_app: true, default_email: true, critical: false },
    { key: 'security.alert', description: 'Security alerts', default_in_app: true, default_email: true, critical: true },
  ];
  preferences: Preferences = { in_app_enabled: true, email_enabled: true, digest: 'off', types: {} };
  /** Requests matching these wait until {@link release} is called. */
  private held: Array<{ path: RegExp; waiting: Array<() => void> }> = [];
  private readonly notifications: WireNotification[] = [];
  private readonly deleted = new Set<string>();
  private readonly readAt = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    readonly gateway: FakeGateway,
    private readonly options: FakeBackendOptions,
  ) {
    server.on('request', (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal_error', message: String(error) } }));
      });
    });
  }

  static async start(options: FakeBackendOptions): Promise<FakeBackend> {
    const gateway = await FakeGateway.start({ heartbeatMs: 30_000 });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeBackend(server, gateway, options);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The test page's address. */
  pageUrl(options: PageOptions = {}): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options)) if (value !== undefined) query.set(key, String(value));
    return `${this.url}/?${query}`;
  }

  /** Stores a notification without sending it (history the element reads over REST). */
  seed(seed: NotificationSeed = {}): WireNotification {
    const notification = this.gateway.add({ live: false, type: seed.type ?? 'comment.created' });
    Object.assign(notification, {
      title: seed.title ?? notification.title,
      body: seed.body ?? '',
      icon: seed.icon ?? null,
      action_url: seed.action_url ?? null,
      priority: seed.priority ?? 'normal',
      is_read: seed.is_read ?? false,
      created_at: seed.created_at ?? notification.created_at,
      data: seed.data ?? {},
    });
    if (notification.is_read) this.readAt.set(notification.id, new Date().toISOString());
    this.notifications.push(notification);
    return notification;
  }

  /** Seeds `count` notifications, oldest first, titled `Notification 1` … unless `seed` names them. */
  seedMany(count: number, seed: (index: number) => NotificationSeed = () => ({})): WireNotification[] {
    return Array.from({ length: count }, (_, index) => this.seed({ title: `Notification ${index + 1}`, ...seed(index) }));
  }

  /** Stores a notification and sends it live, with the new unread count, as the API and gateway would. */
  publish(seed: NotificationSeed = {}): WireNotification {
    const notification = this.seed(seed);
    this.gateway.broadcast({ type: 'notification', notification }, notification.seq);
    this.pushCount();
    return notification;
  }

  /** A change made on another device: applied here and pushed to every connection. */
  changeElsewhere(change: { read?: string[]; unread?: string[]; deleted?: string[]; allRead?: true }): void {
    if (change.read) this.setRead(change.read, true);
    if (change.unread) this.setRead(change.unread, false);
    if (change.deleted) this.remove(change.deleted);
    if (change.allRead) this.readAll(undefined);
  }

  get unreadCount(): number {
    return this.live().filter((n) => !n.is_read).length;
  }

  find(id: string): WireNotification | undefined {
    return this.live().find((n) => n.id === id);
  }

  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  /** REST requests to `path` (exact, or a pattern), in order. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** Holds requests whose path matches until {@link release}. */
  hold(path: RegExp): void {
    this.held.push({ path, waiting: [] });
  }

  release(): void {
    const held = this.held;
    this.held = [];
    for (const { waiting } of held) for (const resume of waiting) resume();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.gateway.stop();
  }

  private live(): WireNotification[] {
    return this.notifications.filter((n) => !this.deleted.has(n.id));
  }

  private rest(notification: WireNotification) {
    return { ...notification, user_id: 'alice', read_at: notification.is_read ? (this.readAt.get(notification.id) ?? notification.created_at) : null };
  }

  private pushCount(): void {
    this.gateway.broadcast({ type: 'unread_count', count: this.unreadCount });
  }

  private setRead(ids: readonly string[], read: boolean): number {
    const changed = this.live().filter((n) => ids.includes(n.id) && n.is_read !== read);
    for (const n of changed) {
      n.is_read = read;
      if (read) this.readAt.set(n.id, new Date().toISOString());
      else this.readAt.delete(n.id);
    }
    if (changed.length > 0) {
      this.gateway.broadcast({ type: read ? 'notification_read' : 'notification_unread', ids: changed.map((n) => n.id) });
      this.pushCount();
    }
    return changed.length;
  }

  private remove(ids: readonly string[]): number {
    const gone = this.live().filter((n) => ids.includes(n.id));
    for (const n of gone) {
      this.deleted.add(n.id);
      // The gateway's store has no delete: a read row no longer counts in its greeting.
      n.is_read = true;
    }
    if (gone.length > 0) {
      this.gateway.broadcast({ type: 'notification_deleted', ids: gone.map((n) => n.id) });
      this.pushCount();
    }
    return gone.length;
  }

  private readAll(type: string | undefined): number {
    const changed = this.live().filter((n) => !n.is_read && (type === undefined || n.type === type));
    for (const n of changed) {
      n.is_read = true;
      this.readAt.set(n.id, new Date().toISOString());
    }
    this.gateway.broadcast(type === undefined ? { type: 'all_read' } : { type: 'all_read', type_filter: type });
    this.pushCount();
    return changed.length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') return this.page(url, res);
    if (method === 'GET' && url.pathname.startsWith('/inbox/')) return this.asset(url.pathname.slice('/inbox/'.length), res);
    if (method === 'GET' && url.pathname.startsWith('/avatars/')) return avatar(url.pathname.slice('/avatars/'.length), res);
    if (!url.pathname.startsWith('/v1/')) return send(res, 404, { error: { code: 'not_found', message: 'no such route' } });

    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.requests.push({ method, path: url.pathname, query: url.searchParams, body });
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return send(res, 401, { error: { code: 'unauthorized', message: 'missing token' } });

    const held = this.held.find((h) => h.path.test(url.pathname));
    if (held) await new Promise<void>((resume) => held.waiting.push(resume));

    const failure = this.failures.find((f) => f.method === method && f.path.test(url.pathname));
    if (failure) {
      if (failure.times !== undefined && --failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return send(res, failure.status, { error: { code: 'internal_error', message: 'failing on purpose' } });
    }
    return this.route(method, url, body as Record<string, unknown> | undefined, res);
  }

  private route(method: string, url: URL, body: Record<string, unknown> | undefined, res: ServerResponse): void {
    const path = url.pathname;
    const byId = /^\/v1\/notifications\/([0-9a-f-]{36})(\/read|\/unread)?$/.exec(path);
    if (method === 'GET' && path === '/v1/notifications') return send(res, 200, this.list(url.searchParams));
    if (method === 'GET' && path === '/v1/notifications/unread-count') return send(res, 200, { count: this.unreadCount });
    if (method === 'POST' && path === '/v1/notifications/read-all') return send(res, 200, { updated: this.readAll(body?.type as string | undefined) });
    if (method === 'POST' && path === '/v1/notifications/read') return send(res, 200, { updated: this.setRead(body?.ids as string[], true) });
    if (method === 'POST' && path === '/v1/notifications/delete') {
      const ids =
        body?.all_read === true
          ? this.live()
              .filter((n) => n.is_read)
              .map((n) => n.id)
          : ((body?.ids as string[]) ?? []);
      return send(res, 200, { deleted: this.remove(ids) });
    }
    if (byId) {
      const [, id = '', action] = byId;
      const notification = this.find(id);
      if (!notification) return send(res, 404, { error: { code: 'not_found', message: 'no such notification' } });
      if (method === 'GET' && !action) return send(res, 200, this.rest(notification));
      if (method === 'POST' && action) {
        this.setRead([id], action === '/read');
        return send(res, 204);
      }
      if (method === 'DELETE' && !action) {
        this.remove([id]);
        return send(res, 204);
      }
    }
    if (path === '/v1/preferences' && method === 'GET') return send(res, 200, this.preferences);
    if (path === '/v1/preferences' && method === 'PUT') {
      const { types, ...rest } = (body ?? {}) as Partial<Preferences> & { types?: Record<string, object | null> };
      const merged = { ...this.preferences.types };
      for (const [key, value] of Object.entries(types ?? {})) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      this.preferences = { ...this.preferences, ...rest, types: merged };
      return send(res, 200, this.preferences);
    }
    if (method === 'GET' && path === '/v1/notification-types') return send(res, 200, { items: this.types });
    return send(res, 404, { error: { code: 'not_found', message: `no route ${method} ${path}` } });
  }

  /** Keyset pagination by seq, newest first; the cursor is the last seq of the previous page. */
  private list(query: URLSearchParams) {
    const limit = Math.min(100, Number(query.get('limit') ?? 20));
    const cursor = query.get('cursor');
    const type = query.get('type');
    const q = query.get('q')?.toLowerCase();
    const matching = this.live()
      .filter((n) => (cursor ? n.seq < Number(cursor) : true))
      .filter((n) => (query.get('unread_only') === 'true' ? !n.is_read : true))
      .filter((n) => (type ? n.type === type : true))
      .filter((n) => (q ? n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q) : true))
      .sort((a, b) => b.seq - a.seq);
    const items = matching.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map((n) => this.rest(n)), next_cursor: matching.length > limit && last ? String(last.seq) : null };
  }

  private page(url: URL, res: ServerResponse): void {
    const option = (name: string) => url.searchParams.get(name);
    const attributes = [
      `api-url="${this.url}"`,
      `gateway-url="${this.gateway.url}"`,
      option('locale') ? `locale="${option('locale')}"` : '',
      option('theme') ? `theme="${option('theme')}"` : '',
    ].join(' ');
    const token = option('noToken') ? '' : `<script type="module">document.querySelector('tidings-inbox').getToken = async () => 'test-token';</script>`;
    const html = `<!doctype html>
<html lang="en" dir="${option('dir') ?? 'ltr'}" class="${option('theme') === 'dark' ? 'dark' : ''}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox test page</title>
<script type="module" src="/inbox/tidings-inbox.js"></script>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; color: #1b1f27; background: #f6f7f9; }
  header { display: flex; align-items: center; gap: 24px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #e1e4ea; }
  header nav { display: flex; gap: 16px; flex: 1; font-size: 14px; }
  header nav a { color: inherit; text-decoration: none; opacity: 0.75; }
  .avatar { width: 32px; height: 32px; border-radius: 50%; background: #5b48c7; color: #fff; display: grid; place-items: center; font-size: 13px; font-weight: 600; }
  main { padding: 24px 16px; }
  @media (max-width: 639.98px) { header nav { display: none; } header strong { flex: 1; } }
  html.dark body { color: #e8eaef; background: #101216; }
  html.dark header { background: #1a1d23; border-color: #30353f; }
</style>
</head>
<body>
<header><strong>Acme</strong><nav><a href="#">Dashboard</a><a href="#">Projects</a><a href="#">Reports</a></nav><tidings-inbox ${attributes}></tidings-inbox><span class="avatar" aria-hidden="true">AK</span></header>
<main><h1>Dashboard</h1><button type="button" id="outside">Something else on the page</button></main>
${token}
</body>
</html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  }

  private async asset(name: string, res: ServerResponse): Promise<void> {
    const file = normalize(join(this.options.assetsDir, name));
    if (!file.startsWith(this.options.assetsDir)) return send(res, 404);
    try {
      const content = await readFile(file);
      res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(content);
    } catch {
      send(res, 404);
    }
  }
}

/** A round initials avatar, `/avatars/<initials>-<hue>.svg`: icons for sample data without the network. */
function avatar(name: string, res: ServerResponse): void {
  const match = /^([A-Za-z]{1,2})-(\d{1,3})\.svg$/.exec(name);
  if (!match) return send(res, 404);
  const [, initials = '', hue = '0'] = match;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><rect width="72" height="72" fill="hsl(${hue} 55% 42%)"/><text x="36" y="45" font-family="system-ui, sans-serif" font-size="28" font-weight="600" fill="#fff" text-anchor="middle">${initials.toUpperCase()}</text></svg>`;
  res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
