import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '@tidings/domain';
import { databaseFingerprint, rawExchange, uniqueId } from '@tidings/test-support';
import { apiRoutes } from '../src/app.ts';
import { startHarness, type ApiHarness } from './harness.ts';

// Requests no well-behaved client sends, each once a 500 (or a dead process): each must be a 4xx in
// the JSON error shape that names what is wrong, and must write nothing.

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const fingerprint = () => databaseFingerprint(h.api.deps.database.sql);

function expectRefused(response: { status: number; body: any }, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body?.error?.code, JSON.stringify(response.body)).toBe(code);
  expect(typeof response.body.error.message).toBe('string');
}

function expectField(response: { status: number; body: any }, field: string) {
  expectRefused(response, 400, 'validation_failed');
  expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
}

const tokenFor = (access: string) =>
  access === 'admin' ? h.admin : access === 'publisher' ? h.service : access === 'inbox' ? h.userToken('alice') : undefined;

describe('a path parameter that is not valid percent-encoded UTF-8', () => {
  const routes = () => apiRoutes(h.api.deps).filter((spec) => spec.path.includes('/:'));

  it('covers every route with a parameter', () => {
    expect(routes().length).toBeGreaterThanOrEqual(11);
  });

  // %ZZ is no escape, %FF no UTF-8, %C0%AF an overlong '/', %ED%A0%80 a surrogate.
  it.each(['%ZZ', '%FF', '%C0%AF', '%ED%A0%80'])('%s answers 400 naming the parameter, on every route', async (escape) => {
    const before = await fingerprint();
    for (const spec of routes()) {
      const names = [...spec.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
      const path = spec.path.replace(/:(\w+)/g, escape);
      const response = await h.request(spec.method.toUpperCase(), path, {
        token: tokenFor(spec.access),
        body: spec.method === 'get' || spec.method === 'delete' ? undefined : {},
      });
      expect(response.status, `${spec.method} ${path}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.details[0].path).toBe(names[0]);
    }
    expect(await fingerprint()).toBe(before);
  });

  it('a NUL in a parameter is refused by the text rule', async () => {
    expectField(await h.request('GET', '/v1/recipients/a%00b', { token: h.service }), 'id');
  });
});

describe('a Content-Encoding the body does not have', () => {
  it.each(['gzip', 'deflate', 'br'])('%s on every body route answers 4xx in the JSON shape', async (encoding) => {
    const before = await fingerprint();
    const bodyRoutes = apiRoutes(h.api.deps).filter((spec) => spec.method === 'post' || spec.method === 'put');
    expect(bodyRoutes.map((spec) => spec.path)).toEqual(expect.arrayContaining(['/v1/unsubscribe', '/v1/webhooks/email-events']));
    for (const spec of bodyRoutes) {
      const path = spec.path.replace(/:(\w+)/g, 'x');
      const response = await h.request(spec.method.toUpperCase(), path, {
        token: tokenFor(spec.access),
        raw: '{"a":1}',
        headers: { 'content-encoding': encoding, accept: 'application/json' },
      });
      expect(response.status, `${spec.method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${spec.method} ${path}`).toBeLessThan(500);
      expect(response.body?.error?.code, `${spec.method} ${path}: ${JSON.stringify(response.body)}`).toBeTypeOf('string');
    }
    expect(await fingerprint()).toBe(before);
  });
});

describe('text that Postgres cannot store', () => {
  const create = { to: { user_ids: ['alice'] }, type: 'comment', title: 'Hello' };
  it.each([
    ['title', '/v1/notifications', 'POST', { ...create, title: 'a\u0000b' }],
    ['body', '/v1/notifications', 'POST', { ...create, body: 'a\u0000b' }],
    ['icon', '/v1/notifications', 'POST', { ...create, icon: '/i\u0000.png' }],
    ['action_url', '/v1/notifications', 'POST', { ...create, action_url: '/a\u0000' }],
    ['action_url', '/v1/notifications', 'POST', { ...create, action_url: '/a\ud800' }],
    ['title', '/v1/notifications', 'POST', { ...create, title: 'lone \udc00 surrogate' }],
    ['data.note', '/v1/notifications', 'POST', { ...create, data: { note: 'a\u0000b' } }],
    ['data.list.1', '/v1/notifications', 'POST', { ...create, data: { list: ['ok', '\ud800'] } }],
    ['description', '/v1/notification-types/comment', 'PUT', { description: 'a\u0000b' }],
    ['name', '/v1/recipients/bob', 'PUT', { name: 'Bob\u0000' }],
    ['detail', '/v1/admin/email-suppressions', 'POST', { address: 'ann@example.com', detail: 'a\u0000b' }],
  ])('%s is refused with 400 naming it, nothing written', async (field, path, method, body) => {
    const before = await fingerprint();
    expectField(
      await h.request(method, path, { token: path.startsWith('/v1/admin') || path.startsWith('/v1/notification-types') ? h.admin : h.service, body }),
      field,
    );
    expect(await fingerprint()).toBe(before);
  });

  it('a key with a NUL inside data is refused', async () => {
    const response = await h.request('POST', '/v1/notifications', {
      token: h.service,
      raw: '{"to":{"user_ids":["alice"]},"type":"t","title":"x","data":{"a\\u0000":1}}',
    });
    expectRefused(response, 400, 'validation_failed');
    expect(response.body.error.message).toContain('key');
  });

  it('in a query string', async () => {
    expectField(await h.request('GET', '/v1/admin/email-logs?user_id=a%00', { token: h.admin }), 'user_id');
  });

  it('data nested 10,000 levels deep answers 400 and the API keeps serving', async () => {
    const raw = `{"to":{"user_ids":["alice"]},"type":"t","title":"x","data":{"k":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    const response = await h.request('POST', '/v1/notifications', { token: h.service, raw });
    expectRefused(response, 400, 'validation_failed');
    expect(response.body.error.details[0].path).toMatch(/^data\.k/);
    expect((await h.request('GET', '/healthz')).status).toBe(200);
  });
});

describe('an edited admin list cursor', () => {
  const id = '0b3f9c1e-6a3d-4c59-9a4e-2f1b7c8d9e0f';
  const edited = [encodeCursor(['+275760-09-13T00:00:00.000Z', id]), encodeCursor(['2024-01-01', id]), encodeCursor([1, 2]), 'not base64 at all!'];
  it.each(['/v1/admin/notifications', '/v1/admin/broadcasts', '/v1/admin/email-logs', '/v1/admin/email-suppressions'])(
    '%s answers 400 naming cursor',
    async (path) => {
      // Suppressions are keyed by address (text), the others by uuid.
      const badId = path.endsWith('suppressions') ? 'a\u0000b' : 'not-a-uuid';
      for (const cursor of [...edited, encodeCursor(['2024-01-01T00:00:00.000Z', badId])])
        expectField(await h.request('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { token: h.admin }), 'cursor');
      // A text id is allowed for suppressions (the address), and any uuid-shaped id elsewhere.
      expect((await h.request('GET', `${path}?cursor=${encodeCursor(['2024-01-01T00:00:00.000Z', id])}`, { token: h.admin })).status).toBe(200);
    },
  );
});

describe('HTTP the parser refuses', () => {
  const port = () => Number(new URL(h.api.url).port);

  it('a head over 16 KB answers 431 in the JSON shape', async () => {
    const answer = await rawExchange(port(), `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.json.error.code).toBe('headers_too_large');
  });

  it.each([
    ['a request line that is not HTTP', 'BLAH\r\n\r\n'],
    ['binary bytes', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a])],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost x\r\n\r\n'],
  ])('%s answers 400 bad_request in the JSON shape', async (_name, bytes) => {
    const answer = await rawExchange(port(), bytes);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('bad_request');
  });

  it('a request target `new URL` cannot parse is routed like any other', async () => {
    const answer = await rawExchange(port(), 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('not_found');
    expect((await h.request('GET', '/healthz')).status).toBe(200);
  });

  it('an absolute-form target express cannot route answers 404 in the JSON shape, not its HTML page', async () => {
    for (const target of ['http://[', 'http://[::/v1/sse', 'https://[::1/v1/notifications']) {
      const answer = await rawExchange(port(), `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer.status, target).toBe(404);
      expect(answer.json.error.code).toBe('not_found');
    }
  });

  it('bytes after a request whose answer ends with the connection do not corrupt that answer', async () => {
    const answer = await rawExchange(port(), 'GET /nope HTTP/1.0\r\n\r\n\u0000');
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('not_found');
    expect(answer.text.match(/HTTP\/1\.[01] \d{3}/g)).toHaveLength(1);
  });

  it('a request without a Host header is served like any other', async () => {
    const answer = await rawExchange(port(), 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(200);
  });

  it('leaves the API serving', async () => {
    expect((await h.request('GET', `/v1/recipients/${uniqueId('nobody')}`, { token: h.service })).status).toBe(404);
  });
});
