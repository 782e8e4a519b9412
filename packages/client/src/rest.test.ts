import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TidingsClient } from './client.ts';
import { TidingsApiError, TidingsError } from './errors.ts';

const NOTIFICATION = {
  id: '00000000-0000-4000-8000-000000000001',
  user_id: 'alice',
  seq: 1,
  type: 'comment.created',
  title: 'Hello',
  body: '',
  data: {},
  icon: null,
  action_url: null,
  priority: 'normal',
  is_read: false,
  read_at: null,
  created_at: '2025-01-01T00:00:00.000Z',
};
const PREFERENCES = { in_app_enabled: true, email_enabled: true, digest: 'off', types: {} };

interface Seen {
  method: string;
  url: URL;
  authorization: string | undefined;
  body: unknown;
}

/** A tiny stand-in for the API: canned answers per route, every request recorded. */
let server: Server;
let apiUrl: string;
let requests: Seen[] = [];
let validToken = 'good';

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const part of req) text += part;
  return text ? JSON.parse(text) : undefined;
}

function answer(res: ServerResponse, status: number, body?: unknown, contentType = 'application/json'): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': contentType });
  res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
}

/** Answers one request as the API would; records it first. */
async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://api');
  const seen: Seen = { method: req.method ?? '', url, authorization: req.headers.authorization, body: await readBody(req) };
  requests.push(seen);
  if (seen.authorization !== `Bearer ${validToken}`) return answer(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
  if (url.pathname.startsWith('/malformed/')) return answer(res, 200, { items: [{ ...NOTIFICATION, seq: 0 }], next_cursor: null });
  const route = `${req.method} ${url.pathname.replace(/^\/prefix/, '')}`;
  switch (route) {
    case 'GET /v1/notifications':
      return answer(res, 200, { items: [NOTIFICATION], next_cursor: 'abc' });
    case 'GET /v1/notifications/unread-count':
      return answer(res, 200, { count: 7 });
    case `GET /v1/notifications/${NOTIFICATION.id}`:
      return answer(res, 200, NOTIFICATION);
    case 'GET /v1/notifications/00000000-0000-4000-8000-000000000404':
      return answer(res, 404, { error: { code: 'not_found', message: 'no such notification' } });
    case `POST /v1/notifications/${NOTIFICATION.id}/read`:
    case `POST /v1/notifications/${NOTIFICATION.id}/unread`:
    case `DELETE /v1/notifications/${NOTIFICATION.id}`:
      return answer(res, 204);
    case 'POST /v1/notifications/read-all':
      return answer(res, 200, { updated: 3 });
    case 'GET /v1/preferences':
      return answer(res, 200, PREFERENCES);
    case 'PUT /v1/preferences':
      if ((seen.body as { digest?: string }).digest === 'hourly') {
        return answer(res, 400, { error: { code: 'validation_failed', message: 'bad body', details: [{ path: 'digest', message: 'invalid option' }] } });
      }
      return answer(res, 200, { ...PREFERENCES, ...(seen.body as object) });
    case 'GET /v1/broken':
    default:
      return answer(res, 502, '<html>bad gateway</html>', 'text/html');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    // A request this stand-in cannot read is answered as a server error, so the test sees it.
    respond(req, res).catch((error: unknown) =>
      answer(res, 500, { error: { code: 'internal', message: error instanceof Error ? error.message : 'fake API failed' } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
  validToken = 'good';
});

const client = (options: { apiUrl?: string; getToken?: () => string } = {}) =>
  new TidingsClient({ url: 'ws://127.0.0.1:1', apiUrl: options.apiUrl ?? apiUrl, getToken: options.getToken ?? (() => 'good') });

describe('REST helpers', () => {
  it('lists the inbox with the query parameters and the bearer token', async () => {
    const page = await client().inbox.list({ limit: 5, cursor: 'xyz', unread_only: true, type: 'comment.created' });
    expect(page).toEqual({ items: [NOTIFICATION], next_cursor: 'abc' });
    expect(requests[0]!.authorization).toBe('Bearer good');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ limit: '5', cursor: 'xyz', unread_only: 'true', type: 'comment.created' });
  });

  it('gets, counts, marks and deletes', async () => {
    const tidings = client();
    expect(await tidings.inbox.get(NOTIFICATION.id)).toEqual(NOTIFICATION);
    expect(await tidings.inbox.unreadCount()).toBe(7);
    await tidings.inbox.markRead(NOTIFICATION.id);
    await tidings.inbox.markUnread(NOTIFICATION.id);
    expect(await tidings.inbox.markAllRead('comment.created')).toBe(3);
    await tidings.inbox.delete(NOTIFICATION.id);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /v1/notifications/${NOTIFICATION.id}`,
      'GET /v1/notifications/unread-count',
      `POST /v1/notifications/${NOTIFICATION.id}/read`,
      `POST /v1/notifications/${NOTIFICATION.id}/unread`,
      'POST /v1/notifications/read-all',
      `DELETE /v1/notifications/${NOTIFICATION.id}`,
    ]);
    expect(requests[4]!.body).toEqual({ type: 'comment.created' });
  });

  it('reads and updates preferences, keeping an apiUrl path prefix', async () => {
    const tidings = client({ apiUrl: `${apiUrl}/prefix/` });
    expect(await tidings.preferences.get()).toEqual(PREFERENCES);
    expect(await tidings.preferences.update({ digest: 'daily' })).toEqual({ ...PREFERENCES, digest: 'daily' });
    expect(requests.map((r) => r.url.pathname)).toEqual(['/prefix/v1/preferences', '/prefix/v1/preferences']);
    expect(requests[1]!.body).toEqual({ digest: 'daily' });
  });

  it('maps error bodies to TidingsApiError with status, code, message and details', async () => {
    const tidings = client();
    const missing = await tidings.inbox.get('00000000-0000-4000-8000-000000000404').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TidingsApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found', message: 'no such notification' });
    const invalid = await tidings.preferences.update({ digest: 'hourly' as 'daily' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed', details: [{ path: 'digest', message: 'invalid option' }] });
  });

  it('maps a non-JSON error page to unexpected_response with the status', async () => {
    const tidings = client({ apiUrl: `${apiUrl}/nowhere` });
    await expect(tidings.inbox.unreadCount()).rejects.toMatchObject({ name: 'TidingsApiError', status: 502, code: 'unexpected_response' });
  });

  it('maps a body outside the documented shape to unexpected_response, saying where', async () => {
    const error = await client({ apiUrl: `${apiUrl}/malformed` })
      .inbox.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unexpected_response' });
    expect((error as Error).message).toMatch(/items\.0\.seq: expected an integer ≥ 1/);
  });

  it('retries once with a fresh token after a 401, and surfaces a second 401', async () => {
    const tokens = ['stale', 'good'];
    const tidings = client({ getToken: () => tokens.shift() ?? 'good' });
    expect(await tidings.inbox.unreadCount()).toBe(7);
    expect(requests.map((r) => r.authorization)).toEqual(['Bearer stale', 'Bearer good']);

    validToken = 'nobody-has-this';
    await expect(tidings.inbox.unreadCount()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('maps an unreachable API to network_error and a failing token provider to token_provider_failed', async () => {
    const unreachable = client({ apiUrl: 'http://127.0.0.1:1' });
    const error = await unreachable.inbox.unreadCount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TidingsError);
    expect(error).toMatchObject({ code: 'network_error' });

    const failing = client({
      getToken: () => {
        throw new Error('logged out');
      },
    });
    await expect(failing.inbox.unreadCount()).rejects.toMatchObject({ code: 'token_provider_failed' });
  });

  it('rejects bad options at construction', () => {
    expect(() => new TidingsClient({ url: 'not a url', getToken: () => 't' })).toThrow(/url must be an absolute URL/);
    expect(() => new TidingsClient({ url: apiUrl, getToken: () => 't', since: -1 })).toThrow(/since must be a non-negative integer/);
  });
});
