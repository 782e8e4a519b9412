import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from '../../client/src/testing/fake-gateway.ts';
import { readBody, send } from './fake-http.ts';
import { FakeInbox } from './fake-inbox.ts';
import { asset, avatar, page, type PageOptions } from './fake-page.ts';
import { routeRest } from './fake-rest-routes.ts';

export type { NotificationSeed, NotificationTypeSeed } from './fake-inbox.ts';
export type { PageOptions } from './fake-page.ts';

/** A REST request the element made, as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
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

/**
 * The API side of the element's world, in memory, for one user: the REST routes the element
 * calls (`fake-rest-routes.ts`), the test page with the built bundle (`fake-page.ts`), and the
 * SDK's fake gateway for live frames. The inbox it extends pushes every change a REST call makes
 * to the gateway's connections as the real API does.
 */
export class FakeBackend extends FakeInbox {
  readonly requests: RecordedRequest[] = [];
  readonly failures: Failure[] = [];
  /** Requests matching these wait until {@link release} is called. */
  private held: Array<{ path: RegExp; waiting: Array<() => void> }> = [];

  private constructor(
    private readonly server: Server,
    gateway: FakeGateway,
    private readonly options: FakeBackendOptions,
  ) {
    super(gateway);
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') return page(url, this.url, this.gateway.url, res);
    if (method === 'GET' && url.pathname.startsWith('/inbox/')) return asset(this.options.assetsDir, url.pathname.slice('/inbox/'.length), res);
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
    return routeRest(this, method, url, body as Record<string, unknown> | undefined, res);
  }
}
