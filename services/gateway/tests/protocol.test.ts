import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '@tidings/protocol';
import { eventually, uniqueId } from '@tidings/test-support';
import { openSse, startCluster, TestSocket, type Cluster } from './cluster.ts';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({ WS_MAX_PAYLOAD_BYTES: '4096', WS_MESSAGES_PER_10S: '20', MAX_CONNECTIONS_PER_USER: '3', WS_MAX_BUFFERED_BYTES: '65536' }, 1);
});
afterAll(async () => {
  await c?.close();
});

const url = () => c.gateways[0]!.url;
const notify = (user: string, title: string, extra: Record<string, unknown> = {}) =>
  c.h.request('POST', '/v1/notifications', { token: c.h.service, body: { to: { user_ids: [user] }, type: 'ops', title, ...extra } });

describe('connecting', () => {
  it.each([
    ['no token', undefined],
    ['a malformed token', 'nonsense'],
    ['a token signed with another key', jwt.sign({ sub: 'mallory' }, 'z'.repeat(40), { algorithm: 'HS256' })],
    ['an expired token', 'expired'],
    ['a service token', 'service'],
  ])('closes with 1008 for %s, before registering anything', async (_label, token) => {
    const actual = token === 'expired' ? c.h.sign({ sub: 'alice', expiresIn: -5 }) : token === 'service' ? c.h.service : token;
    const socket = new TestSocket(url(), { token: actual });
    expect(await socket.closedPromise).toBe(1008);
    expect(socket.frames).toEqual([]);
  });

  it('refuses a bad since', async () => {
    const socket = new TestSocket(url(), { token: c.h.userToken('alice'), since: -1 });
    expect(await socket.closedPromise).toBe(1008);
  });

  it('caps connections per user: the next WebSocket closes 4008, the next SSE stream answers 429', async () => {
    const token = c.h.userToken(uniqueId('many'));
    const sockets = [0, 1, 2].map(() => new TestSocket(url(), { token }));
    await Promise.all(sockets.map((s) => s.established()));
    const fourth = new TestSocket(url(), { token });
    expect(await fourth.closedPromise).toBe(closeCodes.tooManyConnections);
    expect(fourth.closeCode).toBe(4008);
    expect(fourth.closeReason).toContain('connections');
    expect(fourth.frames).toEqual([]);

    const sse = await openSse(url(), `/v1/sse?token=${token}`);
    expect(sse.status).toBe(429);
    expect(sse.response.headers['content-type']).toBe('application/json');
    expect(sse.response.headers['retry-after']).toMatch(/^\d+$/);
    const body = await eventually(() => JSON.parse(sse.chunks.join('')) as unknown);
    expect(body).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('connections') } });
    sse.request.destroy();

    // A place that frees up is taken again.
    const closed = sockets[0]!.closedPromise;
    sockets[0]!.close();
    await closed;
    await eventually(async () => {
      const again = new TestSocket(url(), { token });
      const outcome = await Promise.race([again.closedPromise, again.established().then(() => 'open' as const)]);
      again.close();
      expect(outcome).toBe('open');
    });
    sockets.forEach((s) => s.close());
  });

  it('closes with 4001 when the token expires, unless refreshed with an auth frame', async () => {
    const user = uniqueId('exp');
    const short = c.h.sign({ sub: user, expiresIn: 2 });
    const lapsing = new TestSocket(url(), { token: short });
    const refreshed = new TestSocket(url(), { token: short });
    await Promise.all([lapsing.established(), refreshed.established()]);
    refreshed.send({ type: 'auth', token: c.h.sign({ sub: user, expiresIn: 600 }) });
    expect(await lapsing.closedPromise).toBe(4001);
    refreshed.send({ type: 'ping' });
    await refreshed.waitFor((frames) => frames.some((f) => f.type === 'pong'));
    expect(refreshed.closeCode).toBeUndefined();

    refreshed.send({ type: 'auth', token: c.h.userToken('somebody-else') });
    expect(await refreshed.closedPromise).toBe(1008);
  });
});

describe('bad frames', () => {
  it('answers each with an error frame and keeps the connection and its neighbours up', async () => {
    const user = uniqueId('bad');
    const token = c.h.userToken(user);
    const socket = new TestSocket(url(), { token });
    const neighbour = new TestSocket(url(), { token: c.h.userToken(uniqueId('n')) });
    await Promise.all([socket.established(), neighbour.established()]);
    socket.sendRaw('{not json');
    socket.send({ type: 'teleport' });
    socket.send({ type: 'resume', since: 'yesterday' });
    socket.send({ type: 'mark_read', ids: ['not-a-uuid'] });
    socket.send({ type: 'ping', extra: 1 });
    socket.sendRaw(Buffer.from([1, 2, 3]));
    await socket.waitFor((frames) => frames.filter((f) => f.type === 'error').length === 6);
    expect(socket.frames.filter((f) => f.type === 'error').map((f) => f.code)).toEqual([
      'invalid_json',
      'unknown_message_type',
      'invalid_message',
      'invalid_message',
      'invalid_message',
      'invalid_message',
    ]);
    expect(socket.frames.find((f) => f.code === 'invalid_message')!.message).toContain('since');
    socket.send({ type: 'ping' });
    await socket.waitFor((frames) => frames.some((f) => f.type === 'pong'));
    neighbour.send({ type: 'ping' });
    await neighbour.waitFor((frames) => frames.some((f) => f.type === 'pong'));
    socket.close();
    neighbour.close();
  });

  it('closes an oversized frame with 1009', async () => {
    const socket = new TestSocket(url(), { token: c.h.userToken(uniqueId('big')) });
    await socket.established();
    socket.send({ type: 'subscribe', types: ['x'.repeat(5_000)] });
    expect(await socket.closedPromise).toBe(1009);
  });

  it('warns a flood with rate_limited, then closes it with 4029', async () => {
    const socket = new TestSocket(url(), { token: c.h.userToken(uniqueId('flood')) });
    const calm = new TestSocket(url(), { token: c.h.userToken(uniqueId('calm')) });
    await Promise.all([socket.established(), calm.established()]);
    for (let i = 0; i < 60; i++) socket.send({ type: 'ping' });
    expect(await socket.closedPromise).toBe(4029);
    expect(socket.frames.some((f) => f.type === 'error' && f.code === 'rate_limited')).toBe(true);
    calm.send({ type: 'ping' });
    await calm.waitFor((frames) => frames.some((f) => f.type === 'pong'));
    calm.close();
  });
});

describe('slow consumers', () => {
  it('closes a consumer that does not read with 1013, and it can resume everything', async () => {
    const user = uniqueId('slow');
    const token = c.h.userToken(user);
    const target = new URL('/v1/ws', c.gateways[0]!.url.replace('http', 'ws'));
    target.searchParams.set('token', token);
    const ws = new WebSocket(target);
    await new Promise((resolve) => ws.once('message', resolve));
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const data = { blob: 'x'.repeat(7_000) };
    for (let i = 0; i < 1_000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => notify(user, `big${i + j}`, { data })));
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(1013);
    const metrics = await (await fetch(`${c.gateways[0]!.url}/metrics`)).text();
    expect(metrics).toMatch(/tidings_ws_slow_consumer_closes_total\{service="gateway"\} [1-9]/);
    const again = new TestSocket(c.gateways[0]!.url, { token, since: 0 });
    await again.waitFor((frames) => frames.some((f) => f.type === 'resume_complete'));
    expect(again.seqs()).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    again.close();
  });
});

describe('operations', () => {
  it('reports connections in /stats and the contract metrics in /metrics', async () => {
    const socket = new TestSocket(url(), { token: c.h.userToken(uniqueId('m')) });
    await socket.established();
    const stats = (await (await fetch(`${url()}/stats`)).json()) as { connections: number };
    expect(stats).toMatchObject({ gateway_id: 'gw-0', connections: expect.any(Number), rss_bytes: expect.any(Number) });
    expect(stats.connections).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${url()}/metrics`)).text();
    for (const name of [
      'tidings_ws_connections',
      'tidings_ws_messages_sent_total',
      'tidings_delivery_latency_seconds',
      'tidings_ws_slow_consumer_closes_total',
    ]) {
      expect(metrics).toContain(name);
    }
    expect((await fetch(`${url()}/readyz`)).status).toBe(200);
    expect((await fetch(`${url()}/healthz`)).status).toBe(200);
    expect((await fetch(`${url()}/nope`)).status).toBe(404);
    socket.close();
  });
});
