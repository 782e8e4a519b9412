import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBroker, channelsFor } from '@tidings/cluster';
import { busEventSchema, limits, type BusEvent } from '@tidings/protocol';
import { createLogger, createRedis } from '@tidings/server-kit';
import { databaseFingerprint, eventually, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
let broker: RedisBroker;
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_USER_PER_MINUTE: '100000' });
  const url = h.config.REDIS_URL;
  broker = new RedisBroker(createRedis(url, logger, { name: 'test-pub' }), () => createRedis(url, logger, { name: 'test-sub' }), logger);
});
afterAll(async () => {
  await broker?.close();
  await h?.close();
});

type ReadState = Extract<BusEvent, { kind: 'read_state' }>;

/** The read-state changes the API publishes on the user's channel from now on. */
async function listen(user: string): Promise<ReadState[]> {
  const events: ReadState[] = [];
  await broker.subscribe(channelsFor(h.config.REDIS_PREFIX).user(user), (payload) => {
    const event = busEventSchema.parse(JSON.parse(payload));
    if (event.kind === 'read_state') events.push(event);
  });
  return events;
}

async function inbox(user: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const response = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'bulk', title: `n${i}` } });
    expect(response.status).toBe(201);
    ids.push(response.body.notification_ids[0]);
  }
  return ids;
}

const unread = async (token: string) => (await h.request('GET', '/v1/notifications/unread-count', { token })).body.count as number;
const listed = async (token: string) => (await h.request('GET', '/v1/notifications?limit=100', { token })).body.items as { id: string; is_read: boolean }[];
const stateOf = async (id: string) =>
  (
    await h.api.deps.database.sql<
      { is_read: boolean; deleted: boolean }[]
    >`select is_read, deleted_at is not null as deleted from notifications where id = ${id}`
  )[0];

describe('POST /v1/notifications/read', () => {
  it("marks the caller's own ids read in one go, counting only the ones that changed, and publishes them once", async () => {
    const user = uniqueId('bulk-read');
    const token = h.userToken(user);
    const [a, b, c, d] = await inbox(user, 4);
    const foreign = (await inbox(uniqueId('someone-else'), 1))[0]!;
    await h.request('POST', `/v1/notifications/${a}/read`, { token });
    const events = await listen(user);

    const response = await h.request('POST', '/v1/notifications/read', { token, body: { ids: [a, b, c, b, foreign, randomUUID()] } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ updated: 2 });
    expect(await unread(token)).toBe(1);
    expect(
      (await listed(token))
        .filter((item) => item.is_read)
        .map((item) => item.id)
        .sort(),
    ).toEqual([a, b, c].sort());
    expect((await stateOf(foreign))?.is_read).toBe(false);
    expect((await stateOf(d!))?.is_read).toBe(false);

    await eventually(() => expect(events).toHaveLength(1));
    expect(events[0]).toEqual({ kind: 'read_state', user_id: user, change: 'notification_read', ids: expect.any(Array), unread_count: 1 });
    expect(events[0]!.ids.sort()).toEqual([b, c].sort());

    const again = await h.request('POST', '/v1/notifications/read', { token, body: { ids: [a, b] } });
    expect(again.body).toEqual({ updated: 0 });
    // Nothing changed, so nothing more is published.
    await h.request('POST', '/v1/notifications/read', { token, body: { ids: [d] } });
    await eventually(() => expect(events).toHaveLength(2));
    expect(events[1]).toEqual({ kind: 'read_state', user_id: user, change: 'notification_read', ids: [d], unread_count: 0 });
  });

  it('takes up to the limit of ids', async () => {
    const user = uniqueId('bulk-max');
    const ids = [...(await inbox(user, 2)), ...Array.from({ length: limits.idsPerBulkRequest - 2 }, () => randomUUID())];
    const response = await h.request('POST', '/v1/notifications/read', { token: h.userToken(user), body: { ids } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ updated: 2 });
  });
});

describe('POST /v1/notifications/delete', () => {
  it("soft-deletes the caller's own ids, counting only those, and publishes the ids that went", async () => {
    const user = uniqueId('bulk-del');
    const token = h.userToken(user);
    const [a, b, c] = await inbox(user, 3);
    const foreign = (await inbox(uniqueId('bystander'), 1))[0]!;
    await h.request('DELETE', `/v1/notifications/${a}`, { token });
    const events = await listen(user);

    const response = await h.request('POST', '/v1/notifications/delete', { token, body: { ids: [a, b, foreign, randomUUID()] } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ deleted: 1 });
    expect((await listed(token)).map((item) => item.id)).toEqual([c]);
    expect((await h.request('GET', `/v1/notifications/${b}`, { token })).status).toBe(404);
    expect((await stateOf(b!))?.deleted).toBe(true);
    expect((await stateOf(foreign))?.deleted).toBe(false);
    expect(await unread(token)).toBe(1);
    await eventually(() => expect(events).toHaveLength(1));
    expect(events[0]).toEqual({ kind: 'read_state', user_id: user, change: 'notification_deleted', ids: [b], unread_count: 1 });
  });

  it('with all_read, deletes every read notification and leaves the unread ones', async () => {
    const user = uniqueId('bulk-all');
    const token = h.userToken(user);
    const [a, b, c, d] = await inbox(user, 4);
    await h.request('POST', '/v1/notifications/read', { token, body: { ids: [a, c] } });
    const events = await listen(user);

    const response = await h.request('POST', '/v1/notifications/delete', { token, body: { all_read: true } });
    expect(response.body).toEqual({ deleted: 2 });
    expect((await listed(token)).map((item) => item.id)).toEqual([d, b]);
    await eventually(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({ kind: 'read_state', change: 'notification_deleted', unread_count: 2 });
    expect(events[0]!.ids.sort()).toEqual([a, c].sort());
    expect((await h.request('POST', '/v1/notifications/delete', { token, body: { all_read: true } })).body).toEqual({ deleted: 0 });
  });

  it('publishes a change to thousands of rows in frames of at most the bulk limit of ids', async () => {
    const user = uniqueId('bulk-many');
    const token = h.userToken(user);
    await h.request('PUT', `/v1/recipients/${user}`, { token: h.service, body: {} });
    const total = limits.idsPerBulkRequest * 2 + 100;
    await h.api.deps.database.sql`
      insert into notifications (user_id, seq, type, title, is_read, published_at)
      select ${user}, s, 'old', 'old ' || s, true, now() from generate_series(1, ${total}) s`;
    await h.api.deps.database.sql`update recipients set last_seq = ${total} where id = ${user}`;
    const events = await listen(user);

    const response = await h.request('POST', '/v1/notifications/delete', { token, body: { all_read: true } });
    expect(response.body).toEqual({ deleted: total });
    await eventually(() => expect(events.flatMap((event) => event.ids)).toHaveLength(total));
    expect(events.map((event) => event.ids.length)).toEqual([limits.idsPerBulkRequest, limits.idsPerBulkRequest, 100]);
    expect(new Set(events.flatMap((event) => event.ids)).size).toBe(total);
    expect(events.every((event) => event.change === 'notification_deleted' && event.unread_count === 0)).toBe(true);
  });
});

describe('refusals on the bulk routes', () => {
  const fingerprint = () => databaseFingerprint(h.api.deps.database.sql, { notifications: ['published_at'] });

  it("another user's ids are neither read nor deleted, whatever is sent", async () => {
    const owner = uniqueId('owner');
    const [id] = await inbox(owner, 1);
    const intruder = h.userToken(uniqueId('intruder'));
    expect((await h.request('POST', '/v1/notifications/read', { token: intruder, body: { ids: [id] } })).body).toEqual({ updated: 0 });
    expect((await h.request('POST', '/v1/notifications/delete', { token: intruder, body: { ids: [id] } })).body).toEqual({ deleted: 0 });
    await h.request('POST', `/v1/notifications/${id}/read`, { token: h.userToken(owner) });
    expect((await h.request('POST', '/v1/notifications/delete', { token: intruder, body: { all_read: true } })).body).toEqual({ deleted: 0 });
    expect(await stateOf(id!)).toEqual({ is_read: true, deleted: false });
  });

  it.each([
    ['POST', '/v1/notifications/read', { ids: [randomUUID()] }],
    ['POST', '/v1/notifications/delete', { ids: [randomUUID()] }],
    ['POST', '/v1/notifications/delete', { all_read: true }],
    ['GET', '/v1/notification-types', undefined],
  ] as const)('%s %s answers 401 without a token and 403 for a service token, writing nothing', async (method, path, body) => {
    const before = await fingerprint();
    const anonymous = await h.request(method, path, { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    expect((await h.request(method, path, { body, token: 'not.a.token' })).status).toBe(401);
    expect((await h.request(method, path, { body, token: h.service })).status).toBe(403);
    expect(await fingerprint()).toBe(before);
  });
});
