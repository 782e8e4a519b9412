import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBroker, channelsFor, presenceKeys } from '@tidings/cluster';
import { createLogger, createRedis } from '@tidings/server-kit';
import { eventually, uniqueId } from '@tidings/test-support';
import type { Redis } from 'ioredis';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
let redis: Redis;
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  h = await startHarness();
  redis = createRedis(h.config.REDIS_URL, logger, { name: 'test' });
});
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
});

/** Writes presence the way a gateway does (see presenceKeys). */
async function registerGateway(gatewayId: string, alive: boolean, connections: { id: string; user: string; at: string }[]) {
  const keys = presenceKeys(h.config.REDIS_PREFIX);
  await redis.sadd(keys.gateways, gatewayId);
  if (alive) await redis.set(keys.lease(gatewayId), '1', 'PX', 60_000);
  for (const c of connections) {
    await redis.hset(keys.gatewayConnections(gatewayId), c.id, JSON.stringify({ user_id: c.user, connected_at: c.at }));
    await redis.hset(keys.user(c.user), c.id, JSON.stringify({ gateway_id: gatewayId, connected_at: c.at }));
  }
}

describe('admin views', () => {
  it('lists connections on live gateways only, per user or all', async () => {
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    await registerGateway('gw-a', true, [
      { id: 'c1', user: alice, at: '2026-01-01T00:00:01.000Z' },
      { id: 'c2', user: bob, at: '2026-01-01T00:00:02.000Z' },
    ]);
    await registerGateway('gw-dead', false, [{ id: 'c3', user: alice, at: '2026-01-01T00:00:03.000Z' }]);
    const all = await h.request('GET', '/v1/admin/connections', { token: h.admin });
    expect(all.body.items).toEqual([
      { connection_id: 'c1', user_id: alice, gateway_id: 'gw-a', connected_at: '2026-01-01T00:00:01.000Z' },
      { connection_id: 'c2', user_id: bob, gateway_id: 'gw-a', connected_at: '2026-01-01T00:00:02.000Z' },
    ]);
    const mine = await h.request('GET', `/v1/admin/connections?user_id=${alice}`, { token: h.admin });
    expect(mine.body.items.map((c: { connection_id: string }) => c.connection_id)).toEqual(['c1']);
    const stats = await h.request('GET', '/v1/admin/stats', { token: h.admin });
    expect(stats.body).toMatchObject({ gateways: 1, connections: 2 });
  });

  it('sends a disconnect for the user to every gateway', async () => {
    const user = uniqueId('kicked');
    const url = h.config.REDIS_URL;
    const broker = new RedisBroker(createRedis(url, logger, { name: 'p' }), () => createRedis(url, logger, { name: 's' }), logger);
    const received: unknown[] = [];
    await broker.subscribe(channelsFor(h.config.REDIS_PREFIX).user(user), (payload) => received.push(JSON.parse(payload)));
    await registerGateway('gw-b', true, [{ id: 'k1', user, at: '2026-01-01T00:00:00.000Z' }]);
    const response = await h.request('POST', `/v1/admin/users/${user}/disconnect`, { token: h.admin });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ connections: 1 });
    await eventually(() => expect(received).toEqual([{ kind: 'disconnect', user_id: user, reason: 'disconnected by an admin' }]));
    await broker.close();
  });

  it('lists notifications and broadcasts newest first with working cursors', async () => {
    const user = uniqueId('adm');
    for (let i = 0; i < 3; i++) {
      await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'audit', title: `a${i}` } });
    }
    const first = await h.request('GET', `/v1/admin/notifications?user_id=${user}&limit=2`, { token: h.admin });
    expect(first.body.items.map((n: { title: string }) => n.title)).toEqual(['a2', 'a1']);
    const second = await h.request('GET', `/v1/admin/notifications?user_id=${user}&limit=2&cursor=${first.body.next_cursor}`, { token: h.admin });
    expect(second.body.items.map((n: { title: string }) => n.title)).toEqual(['a0']);
    expect(second.body.next_cursor).toBeNull();

    const broadcasts = await h.request('GET', '/v1/admin/broadcasts?limit=1', { token: h.admin });
    expect(broadcasts.body.items[0]).toMatchObject({
      created_by: 'billing-service',
      type: 'audit',
      title: 'a2',
      status: 'sent',
      recipient_count: 1,
      target: { user_ids: [user] },
    });
    const older = await h.request('GET', `/v1/admin/broadcasts?limit=1&cursor=${broadcasts.body.next_cursor}`, { token: h.admin });
    expect(older.body.items[0].title).toBe('a1');
  });

  it('cancels a scheduled broadcast, which then never appears; a sent one cannot be cancelled', async () => {
    const user = uniqueId('sched');
    const scheduled = await h.request('POST', '/v1/notifications', {
      token: h.admin,
      body: { to: { user_ids: [user] }, type: 'promo', title: 'Sale', send_at: new Date(Date.now() + 60_000).toISOString() },
    });
    expect((await h.request('POST', `/v1/admin/broadcasts/${scheduled.body.broadcast_id}/cancel`, { token: h.admin })).status).toBe(204);
    const listed = await h.request('GET', '/v1/admin/broadcasts?status=cancelled', { token: h.admin });
    expect(listed.body.items.map((b: { id: string }) => b.id)).toContain(scheduled.body.broadcast_id);
    const [held] = await h.api.deps.database.sql<{ deleted: boolean }[]>`
      select deleted_at is not null as deleted from notifications where broadcast_id = ${scheduled.body.broadcast_id}`;
    expect(held!.deleted).toBe(true);
    const again = await h.request('POST', `/v1/admin/broadcasts/${scheduled.body.broadcast_id}/cancel`, { token: h.admin });
    expect(again.status).toBe(409);

    const sent = await h.request('POST', '/v1/notifications', { token: h.admin, body: { to: { user_ids: [user] }, type: 'promo', title: 'Now' } });
    expect((await h.request('POST', `/v1/admin/broadcasts/${sent.body.broadcast_id}/cancel`, { token: h.admin })).status).toBe(409);
    expect((await h.request('POST', `/v1/admin/broadcasts/${crypto.randomUUID()}/cancel`, { token: h.admin })).status).toBe(404);
  });

  it('lists email logs written by the worker, filtered by status', async () => {
    const user = uniqueId('mail');
    await h.request('PUT', `/v1/recipients/${user}`, { token: h.service, body: { email: 'mail@example.com' } });
    const { sql } = h.api.deps.database;
    await sql`insert into email_logs (user_id, dedupe_key, "to", subject, template, status, attempts, queued_at)
              values (${user}, ${`t:${user}:1`}, 'mail@example.com', 'Hello', 'default', 'sent', 1, now() - interval '1 minute'),
                     (${user}, ${`t:${user}:2`}, 'mail@example.com', 'Oops', 'default', 'failed', 3, now())`;
    const failed = await h.request('GET', `/v1/admin/email-logs?user_id=${user}&status=failed`, { token: h.admin });
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]).toMatchObject({ subject: 'Oops', attempts: 3, status: 'failed', to: 'mail@example.com' });
    const all = await h.request('GET', `/v1/admin/email-logs?user_id=${user}`, { token: h.admin });
    expect(all.body.items.map((l: { subject: string }) => l.subject)).toEqual(['Oops', 'Hello']);
    const stats = await h.request('GET', '/v1/admin/stats', { token: h.admin });
    expect(stats.body.emails).toMatchObject({ sent: expect.any(Number), failed: expect.any(Number) });
  });
});

describe('email suppressions', () => {
  it('lists addresses suppressed by the provider and by hand, and lets an admin lift one', async () => {
    const address = `${uniqueId('sup')}@Example.com`;
    const added = await h.request('POST', '/v1/admin/email-suppressions', { token: h.admin, body: { address, detail: 'asked by phone' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ address: address.toLowerCase(), reason: 'manual', detail: 'asked by phone' });
    const again = await h.request('POST', '/v1/admin/email-suppressions', { token: h.admin, body: { address: address.toUpperCase() } });
    expect(again.status).toBe(200);
    expect(again.body.detail).toBe('asked by phone');

    const manual = await h.request('GET', '/v1/admin/email-suppressions?reason=manual&limit=100', { token: h.admin });
    expect(manual.body.items.map((item: { address: string }) => item.address)).toContain(address.toLowerCase());
    expect((await h.request('GET', '/v1/admin/email-suppressions?reason=bounced', { token: h.admin })).body.items).toEqual([]);

    expect((await h.request('DELETE', `/v1/admin/email-suppressions/${encodeURIComponent(address)}`, { token: h.admin })).status).toBe(204);
    const gone = await h.request('DELETE', `/v1/admin/email-suppressions/${encodeURIComponent(address)}`, { token: h.admin });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });

  it('refuses bad input with the field named', async () => {
    const bad = await h.request('POST', '/v1/admin/email-suppressions', { token: h.admin, body: { address: 'not an address' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('address');
    const extra = await h.request('POST', '/v1/admin/email-suppressions', { token: h.admin, body: { address: 'a@example.com', reason: 'bounced' } });
    expect(extra.status).toBe(400);
    expect((await h.request('GET', '/v1/admin/email-suppressions?reason=spam', { token: h.admin })).status).toBe(400);
    expect((await h.request('DELETE', '/v1/admin/email-suppressions/nope', { token: h.admin })).status).toBe(400);
  });
});
