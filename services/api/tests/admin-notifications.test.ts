import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBroker, channelsFor } from '@tidings/cluster';
import { createLogger, createRedis } from '@tidings/server-kit';
import { eventually, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const sql = () => h.api.deps.database.sql;
type Item = { id: string; title: string; user_id: string; is_read: boolean };
const titles = (body: { items: Item[] }) => body.items.map((item) => item.title);

async function send(user: string, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'audit', title, ...extra } });
  expect(created.status).toBe(201);
  return created.body.notification_ids[0];
}

const list = (query: Record<string, string>) => h.request('GET', `/v1/admin/notifications?${new URLSearchParams(query)}`, { token: h.admin });

describe('GET /v1/admin/notifications filters', () => {
  it('finds text in the title or body, case-insensitively, with % and _ taken literally', async () => {
    const user = uniqueId('search');
    await send(user, 'Invoice PAID', { body: 'thanks' });
    await send(user, 'Weekly report', { body: 'the invoice is attached' });
    await send(user, 'Unrelated');
    await send(user, '100% done');
    expect(titles((await list({ user_id: user, q: 'invoice' })).body)).toEqual(['Weekly report', 'Invoice PAID']);
    expect(titles((await list({ user_id: user, q: '  paid ' })).body)).toEqual(['Invoice PAID']);
    expect(titles((await list({ user_id: user, q: '0%' })).body)).toEqual(['100% done']);
    expect(titles((await list({ user_id: user, q: '_' })).body)).toEqual([]);
  });

  it('searches across every user when no user is given', async () => {
    const word = uniqueId('needle');
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    await send(alice, `alice ${word}`);
    await send(bob, `bob ${word}`);
    const found = (await list({ q: word })).body.items as Item[];
    expect(found.map((item) => item.user_id)).toEqual([bob, alice]);
  });

  it('filters by read state', async () => {
    const user = uniqueId('read');
    const first = await send(user, 'first');
    await send(user, 'second');
    expect((await h.request('POST', `/v1/notifications/${first}/read`, { token: h.userToken(user) })).status).toBe(204);
    expect(titles((await list({ user_id: user, is_read: 'true' })).body)).toEqual(['first']);
    expect(titles((await list({ user_id: user, is_read: 'false' })).body)).toEqual(['second']);
    expect(titles((await list({ user_id: user })).body)).toEqual(['second', 'first']);
  });

  it('bounds the creation time to [from, to)', async () => {
    const user = uniqueId('window');
    const ids = [await send(user, 'jan'), await send(user, 'feb'), await send(user, 'mar')];
    const times = ['2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-15T00:00:00.000Z'];
    for (const [index, id] of ids.entries()) await sql()`update notifications set created_at = ${times[index]!}::timestamptz where id = ${id}`;
    expect(titles((await list({ user_id: user, from: '2026-02-01T00:00:00Z' })).body)).toEqual(['mar', 'feb']);
    expect(titles((await list({ user_id: user, to: '2026-02-01T00:00:00Z' })).body)).toEqual(['jan']);
    expect(titles((await list({ user_id: user, from: '2026-01-20T00:00:00+02:00', to: '2026-03-15T00:00:00.000Z' })).body)).toEqual(['feb']);
  });

  it('combines every filter with keyset paging', async () => {
    const user = uniqueId('combo');
    for (let i = 0; i < 5; i++) await send(user, `match ${i}`, { type: 'billing' });
    await send(user, 'match other type', { type: 'audit' });
    await send(uniqueId('other'), 'match elsewhere', { type: 'billing' });
    const read = await send(user, 'match but read', { type: 'billing' });
    await h.request('POST', `/v1/notifications/${read}/read`, { token: h.userToken(user) });
    const query = { user_id: user, type: 'billing', q: 'MATCH', is_read: 'false', from: '2000-01-01T00:00:00Z', limit: '2' };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(cursor === null ? query : { ...query, cursor });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...titles(page.body));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(['match 4', 'match 3', 'match 2', 'match 1', 'match 0']);
  });

  it('leaves out deleted notifications', async () => {
    const user = uniqueId('gone');
    const id = await send(user, 'to delete');
    await send(user, 'to keep');
    await h.request('DELETE', `/v1/notifications/${id}`, { token: h.userToken(user) });
    expect(titles((await list({ user_id: user })).body)).toEqual(['to keep']);
  });

  it('refuses bad filters with the field named', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ q: '' }, 'q'],
      [{ q: '   ' }, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ is_read: 'yes' }, 'is_read'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-13-01T00:00:00Z' }, 'to'],
      [{ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
      [{ from: '2026-02-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, 'to'],
      [{ user_id: 'x'.repeat(256) }, 'user_id'],
      [{ broadcast_id: 'nope' }, 'broadcast_id'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ limit: '0' }, 'limit'],
      [{ sort: 'asc' }, 'sort'],
    ];
    for (const [query, field] of cases) {
      const response = await list(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });
});

describe('GET /v1/admin/notifications/:id', () => {
  it("answers any user's notification", async () => {
    const user = uniqueId('one');
    const id = await send(user, 'Hello', { body: 'there', data: { order: 7 }, priority: 'high' });
    const response = await h.request('GET', `/v1/admin/notifications/${id}`, { token: h.admin });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id,
      user_id: user,
      seq: 1,
      type: 'audit',
      title: 'Hello',
      body: 'there',
      data: { order: 7 },
      icon: null,
      action_url: null,
      priority: 'high',
      is_read: false,
      read_at: null,
      created_at: expect.any(String),
    });
  });

  it('answers 404 for an unknown or deleted notification and 400 for a malformed id', async () => {
    const user = uniqueId('deleted');
    const id = await send(user, 'bye');
    await h.request('DELETE', `/v1/notifications/${id}`, { token: h.userToken(user) });
    expect((await h.request('GET', `/v1/admin/notifications/${id}`, { token: h.admin })).status).toBe(404);
    const unknown = await h.request('GET', `/v1/admin/notifications/${crypto.randomUUID()}`, { token: h.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const malformed = await h.request('GET', '/v1/admin/notifications/123', { token: h.admin });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].path).toBe('id');
  });
});

describe('DELETE /v1/admin/notifications/:id', () => {
  it('deletes it as the user would: it leaves their inbox and their connections hear of it', async () => {
    const user = uniqueId('victim');
    const url = h.config.REDIS_URL;
    const broker = new RedisBroker(createRedis(url, logger, { name: 'p' }), () => createRedis(url, logger, { name: 's' }), logger);
    const received: { kind: string; change?: string; ids?: string[]; unread_count?: number }[] = [];
    await broker.subscribe(channelsFor(h.config.REDIS_PREFIX).user(user), (payload) => received.push(JSON.parse(payload)));
    try {
      const keep = await send(user, 'keep');
      const drop = await send(user, 'drop');
      const token = h.userToken(user);
      expect((await h.request('GET', '/v1/notifications/unread-count', { token })).body).toEqual({ count: 2 });

      const deleted = await h.request('DELETE', `/v1/admin/notifications/${drop}`, { token: h.admin });
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();

      const inbox = await h.request('GET', '/v1/notifications', { token });
      expect(inbox.body.items.map((item: Item) => item.id)).toEqual([keep]);
      expect((await h.request('GET', `/v1/notifications/${drop}`, { token })).status).toBe(404);
      expect((await h.request('GET', '/v1/notifications/unread-count', { token })).body).toEqual({ count: 1 });
      await eventually(() =>
        expect(received).toContainEqual(expect.objectContaining({ kind: 'read_state', change: 'notification_deleted', ids: [drop], unread_count: 1 })),
      );
      expect((await h.request('DELETE', `/v1/admin/notifications/${drop}`, { token: h.admin })).status).toBe(404);
    } finally {
      await broker.close();
    }
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = await h.request('DELETE', `/v1/admin/notifications/${crypto.randomUUID()}`, { token: h.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const malformed = await h.request('DELETE', '/v1/admin/notifications/abc', { token: h.admin });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].path).toBe('id');
  });
});

describe('access', () => {
  it('is for admins only, even for the owner of the notification', async () => {
    const user = uniqueId('owner');
    const id = await send(user, 'mine');
    const routes: [string, string][] = [
      ['GET', '/v1/admin/notifications'],
      ['GET', `/v1/admin/notifications/${id}`],
      ['DELETE', `/v1/admin/notifications/${id}`],
    ];
    for (const [method, path] of routes) {
      const asUser = await h.request(method, path, { token: h.userToken(user) });
      expect(asUser.status, `${method} ${path}`).toBe(403);
      expect(asUser.body.error.code).toBe('forbidden');
      expect((await h.request(method, path, { token: h.service })).status).toBe(403);
      const anonymous = await h.request(method, path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthorized');
    }
    expect((await h.request('GET', `/v1/notifications/${id}`, { token: h.userToken(user) })).status).toBe(200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body;
    const list = doc.paths['/v1/admin/notifications'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'is_read', 'from', 'to', 'user_id', 'cursor']));
    expect(doc.paths['/v1/admin/notifications/{id}']).toHaveProperty('get');
    expect(doc.paths['/v1/admin/notifications/{id}']).toHaveProperty('delete');
  });
});
