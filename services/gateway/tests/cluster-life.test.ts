import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '@tidings/server-kit';
import { eventually, TcpProxy, uniqueId } from '@tidings/test-support';
import { startGateway } from '../src/main.ts';
import { openSse as openSseAt, startCluster, TestSocket, type Cluster } from './cluster.ts';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({ HEARTBEAT_MS: '1000' });
});
afterAll(async () => {
  await c?.close();
});

const notify = (user: string, title: string, extra: Record<string, unknown> = {}) =>
  c.h.request('POST', '/v1/notifications', { token: c.h.service, body: { to: { user_ids: [user] }, type: 'ops', title, ...extra } });

describe('presence and admin control', () => {
  it('shows connections on both gateways and closes all of them with 4003 on an admin disconnect', async () => {
    const user = uniqueId('kick');
    const token = c.h.userToken(user);
    const sockets = [new TestSocket(c.gateways[0]!.url, { token }), new TestSocket(c.gateways[1]!.url, { token })];
    const ids = await Promise.all(sockets.map(async (s) => (await s.established()).connection_id));
    const listed = await c.h.request('GET', `/v1/admin/connections?user_id=${user}`, { token: c.h.admin });
    expect(listed.body.items.map((i: { connection_id: string }) => i.connection_id).sort()).toEqual([...ids].sort());
    expect(new Set(listed.body.items.map((i: { gateway_id: string }) => i.gateway_id))).toEqual(new Set(['gw-0', 'gw-1']));

    const kicked = await c.h.request('POST', `/v1/admin/users/${user}/disconnect`, { token: c.h.admin });
    expect(kicked.body).toEqual({ connections: 2 });
    expect(await Promise.all(sockets.map((s) => s.closedPromise))).toEqual([4003, 4003]);
    await eventually(async () => expect((await c.h.request('GET', `/v1/admin/connections?user_id=${user}`, { token: c.h.admin })).body.items).toEqual([]));
  });

  it("drops a crashed gateway's connections from presence within two heartbeats", async () => {
    const doomed = await startGateway({ ...c.h.config, GATEWAY_ID: 'gw-doomed' }, createLogger('gateway', 'silent'), 0);
    const user = uniqueId('ghost');
    const socket = new TestSocket(doomed.url, { token: c.h.userToken(user) });
    await socket.established();
    const connections = () => c.h.request('GET', `/v1/admin/connections?user_id=${user}`, { token: c.h.admin });
    expect((await connections()).body.items).toHaveLength(1);
    doomed.crash();
    const crashedAt = Date.now();
    await eventually(async () => expect((await connections()).body.items).toEqual([]), 5_000, 100);
    expect(Date.now() - crashedAt).toBeLessThanOrEqual(2_000 + 500);
  });

  it('drains on shutdown: every client is closed with 1012', async () => {
    const leaving = await startGateway({ ...c.h.config, GATEWAY_ID: 'gw-leaving' }, createLogger('gateway', 'silent'), 0);
    const socket = new TestSocket(leaving.url, { token: c.h.userToken(uniqueId('drain')) });
    await socket.established();
    await leaving.close();
    expect(await socket.closedPromise).toBe(1012);
  });
});

describe('dead and slow clients', () => {
  it('terminates a client that stops answering pings', async () => {
    const target = new URL('/v1/ws', c.gateways[0]!.url.replace('http', 'ws'));
    target.searchParams.set('token', c.h.userToken(uniqueId('mute')));
    const ws = new WebSocket(target, { autoPong: false });
    const code = await new Promise<number>((resolve) => ws.on('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(1006);
  });
});

describe('Redis outage at a gateway', () => {
  it('resyncs connected clients from their last seq when the subscription comes back: nothing is lost', async () => {
    const redisUrl = new URL(c.h.config.REDIS_URL);
    const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    await proxy.start();
    const flaky = await startGateway(
      { ...c.h.config, GATEWAY_ID: 'gw-flaky', REDIS_URL: proxy.urlFor(c.h.config.REDIS_URL) },
      createLogger('gateway', 'silent'),
      0,
    );
    try {
      const user = uniqueId('blip');
      const socket = new TestSocket(flaky.url, { token: c.h.userToken(user) });
      await socket.established();
      await notify(user, 'before');
      await socket.waitFor(() => socket.seqs().length === 1);
      await proxy.cut();
      for (let i = 0; i < 5; i++) await notify(user, `during${i}`);
      await proxy.restore();
      await socket.waitFor(() => socket.seqs().length >= 6, 15_000);
      await notify(user, 'after');
      await socket.waitFor(() => socket.seqs().includes(7));
      expect([...new Set(socket.seqs())].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      socket.close();
    } finally {
      await flaky.close();
      await proxy.cut();
    }
  });
});

describe('SSE', () => {
  const openSse = (path: string, headers: Record<string, string> = {}) => openSseAt(c.gateways[0]!.url, path, headers);

  it('streams frames with id = seq and resumes from Last-Event-ID', async () => {
    const user = uniqueId('sse');
    const token = c.h.userToken(user);
    for (let i = 1; i <= 3; i++) await notify(user, `s${i}`);
    const stream = await openSse(`/v1/sse?token=${token}`, { 'last-event-id': '1' });
    expect(stream.status).toBe(200);
    expect(stream.response.headers['content-type']).toContain('text/event-stream');
    await eventually(() => expect(stream.chunks.join('')).toContain('resume_complete'));
    await notify(user, 's4');
    await eventually(() => expect(stream.chunks.join('')).toContain('"seq":4'));
    const text = stream.chunks.join('');
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([2, 3, 4]);
    expect(text).toMatch(/data: \{"type":"connection_established"/);
    stream.request.destroy();
  });

  it('answers 401 JSON for a bad token', async () => {
    const stream = await openSse('/v1/sse?token=bad');
    expect(stream.status).toBe(401);
    await eventually(() => expect(JSON.parse(stream.chunks.join('')).error.code).toBe('unauthorized'));
  });
});
