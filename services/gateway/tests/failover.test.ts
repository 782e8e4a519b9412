import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TidingsClient } from '@tidings/client';
import { eventually, serviceEntries, spawnService, TcpFailover, uniqueId, type SpawnedService } from '@tidings/test-support';
import { startHarness, type ApiHarness } from '../../api/tests/harness.ts';

/** A gateway in its own process, so the test can kill it with SIGKILL. */
function spawnGateway(h: ApiHarness, id: string): Promise<SpawnedService> {
  return spawnService(id, serviceEntries.gateway, { ...h.env, GATEWAY_PORT: '0', GATEWAY_ID: id, LOG_LEVEL: 'info', HEARTBEAT_MS: '5000' });
}

let h: ApiHarness;
const children: SpawnedService[] = [];
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_SERVICE_PER_MINUTE: '1000000' });
});
afterAll(async () => {
  for (const child of children) await child.stop('SIGKILL');
  await h?.close();
});

describe('a gateway killed with SIGKILL under load', () => {
  it('loses nothing: SDK clients move to the other gateway and see every notification exactly once, in order', async () => {
    const [a, b] = [await spawnGateway(h, 'gw-a'), await spawnGateway(h, 'gw-b')];
    children.push(a, b);
    const front = new TcpFailover([
      { host: '127.0.0.1', port: a.port },
      { host: '127.0.0.1', port: b.port },
    ]);
    await front.start();

    const users = Array.from({ length: 10 }, () => uniqueId('failover'));
    const seen = new Map<string, number[]>(users.map((user) => [user, []]));
    const clients = users.map((user) => {
      const client = new TidingsClient({
        url: `http://127.0.0.1:${front.port}`,
        apiUrl: h.api.url,
        getToken: () => h.userToken(user),
        WebSocket,
        transport: 'ws',
        backoff: { baseMs: 50, capMs: 500 },
      });
      client.on('notification', (notification) => seen.get(user)!.push(notification.seq));
      client.connect();
      return client;
    });
    await eventually(async () => expect((await h.request('GET', '/v1/admin/connections', { token: h.admin })).body.items).toHaveLength(users.length));

    // 1,500 notifications, paced at up to about 1,000 a second; gateway A is killed a third of the way in.
    const total = 1_500;
    const sent = new Map<string, number>(users.map((user) => [user, 0]));
    const inFlight: Promise<unknown>[] = [];
    while (inFlight.length < total) {
      if (inFlight.length === 500) a.child.kill('SIGKILL');
      for (let i = 0; i < 10; i++) {
        const user = users[inFlight.length % users.length]!;
        inFlight.push(
          h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'load', title: 'x' } }).then((response) => {
            expect(response.status).toBe(201);
            sent.set(user, sent.get(user)! + 1);
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(inFlight);
    expect([...sent.values()].reduce((sum, n) => sum + n, 0)).toBe(total);

    const deadline = Date.now() + 20_000;
    while ([...seen].some(([user, seqs]) => seqs.length < sent.get(user)!) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const user of users) {
      expect(seen.get(user), user).toEqual(Array.from({ length: sent.get(user)! }, (_, i) => i + 1));
    }
    // gw-a's entries linger until its lease expires; every client is now also on gw-b.
    const listed = await h.request('GET', '/v1/admin/connections', { token: h.admin });
    expect(listed.body.items.filter((c: { gateway_id: string }) => c.gateway_id === 'gw-b')).toHaveLength(users.length);
    await Promise.all(clients.map((client) => client.close()));
    await front.stop();
  }, 60_000);
});
