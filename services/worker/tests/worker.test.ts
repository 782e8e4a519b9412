import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tidings/server-kit';
import { eventually, TcpProxy, uniqueId } from '@tidings/test-support';
import { startApi, type RunningApi } from '../../api/src/main.ts';
import { startCluster, TestSocket, type Cluster } from '../../gateway/tests/cluster.ts';
import { startWorker, type RunningWorker } from '../src/main.ts';

let c: Cluster;
let worker: RunningWorker;
beforeAll(async () => {
  c = await startCluster({ OUTBOX_GRACE_MS: '300' }, 1);
  worker = await startWorker(c.h.config, createLogger('worker', 'silent'), { port: 0 });
});
afterAll(async () => {
  await worker?.close();
  await c?.close();
});

describe('scheduled sends', () => {
  it('stay invisible until due, then reach a connected client within a second of their time', async () => {
    const user = uniqueId('later');
    const token = c.h.userToken(user);
    const socket = new TestSocket(c.gateways[0]!.url, { token });
    await socket.established();
    const sendAt = new Date(Date.now() + 1_500);
    const created = await c.h.request('POST', '/v1/notifications', {
      token: c.h.service,
      body: { to: { user_ids: [user] }, type: 'reminder', title: 'Meeting in 5', send_at: sendAt.toISOString() },
    });
    expect(created.status).toBe(202);
    expect((await c.h.request('GET', '/v1/notifications', { token })).body.items).toEqual([]);
    await socket.waitFor(() => socket.seqs().length === 1, 5_000);
    const arrivedAt = Date.now();
    expect(arrivedAt - sendAt.getTime()).toBeLessThan(1_000);
    expect(socket.notifications()[0]!.notification).toMatchObject({ id: created.body.notification_ids[0], seq: 1, title: 'Meeting in 5' });
    const inbox = await c.h.request('GET', '/v1/notifications', { token });
    expect(inbox.body.items.map((n: { id: string }) => n.id)).toEqual(created.body.notification_ids);
    const broadcasts = await c.h.request('GET', '/v1/admin/broadcasts?status=sent', { token: c.h.admin });
    expect(broadcasts.body.items.map((b: { id: string }) => b.id)).toContain(created.body.broadcast_id);
    socket.close();
  });

  it('never delivers a cancelled send', async () => {
    const user = uniqueId('cancel');
    const token = c.h.userToken(user);
    const socket = new TestSocket(c.gateways[0]!.url, { token });
    await socket.established();
    const created = await c.h.request('POST', '/v1/notifications', {
      token: c.h.admin,
      body: { to: { user_ids: [user] }, type: 'promo', title: 'Never', send_at: new Date(Date.now() + 800).toISOString() },
    });
    expect((await c.h.request('POST', `/v1/admin/broadcasts/${created.body.broadcast_id}/cancel`, { token: c.h.admin })).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await c.h.request('POST', '/v1/notifications', { token: c.h.admin, body: { to: { user_ids: [user] }, type: 'promo', title: 'Marker' } });
    await socket.waitFor(() => socket.seqs().length === 1);
    expect(socket.notifications().map((f) => f.notification.title)).toEqual(['Marker']);
    expect((await c.h.request('GET', '/v1/notifications', { token })).body.items.map((n: { title: string }) => n.title)).toEqual(['Marker']);
    socket.close();
  });
});

describe('outbox relay', () => {
  it('delivers to connected clients every notification whose publish failed after commit', async () => {
    const redisUrl = new URL(c.h.config.REDIS_URL);
    const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    await proxy.start();
    const brokenApi: RunningApi = await startApi({ ...c.h.config, REDIS_URL: proxy.urlFor(c.h.config.REDIS_URL) }, createLogger('api', 'silent'), 0);
    await proxy.cut();
    try {
      const user = uniqueId('relay');
      const socket = new TestSocket(c.gateways[0]!.url, { token: c.h.userToken(user) });
      await socket.established();
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${brokenApi.url}/v1/notifications`, {
          method: 'POST',
          headers: { authorization: `Bearer ${c.h.service}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: { user_ids: [user] }, type: 'relay', title: `r${i}` }),
        });
        expect(response.status).toBe(201);
      }
      await socket.waitFor(() => socket.seqs().length === 20, 10_000);
      expect(socket.seqs()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await eventually(async () => {
        const [row] = await c.h.api.deps.database.sql<{ left: number }[]>`
          select count(*)::int as left from notifications where user_id = ${user} and published_at is null`;
        expect(row!.left).toBe(0);
      });
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      expect(metrics).toMatch(/tidings_outbox_republished_total\{service="worker"\} ([2-9]\d|\d{3,})/);
      socket.close();
    } finally {
      await brokenApi.close();
      await proxy.cut();
    }
  });
});

describe('stats rollup', () => {
  it('counts the closed minutes for the admin charts from the start, then every 30 s', async () => {
    const { sql } = c.h.api.deps.database;
    // The watermark starts 8 days back; a run moves it to the minute that closed 5 minutes before
    // the run. A minute's slack, since the last run may have been just before a minute boundary.
    const closed = Math.floor((Date.now() - 6 * 60_000) / 60_000) * 60_000;
    await eventually(async () => {
      const [state] = await sql<{ rolled_until: number }[]>`select extract(epoch from rolled_until)::float8 * 1000 as rolled_until from stats_rollup_state`;
      expect(state!.rolled_until).toBeGreaterThanOrEqual(closed);
    });
  });
});
