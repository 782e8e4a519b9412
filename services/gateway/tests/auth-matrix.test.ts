import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rawExchange, uniqueId } from '@tidings/test-support';
import { openSse, startCluster, TestSocket, type Cluster } from './cluster.ts';

// The REST API's authorization matrix, repeated where a stream is opened: both gateways, WebSocket
// (token in the query and in the subprotocol) and SSE, with tokens and with one-time tickets.

const unsigned = (claims: object) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3_600;

type Way = 'ws-query' | 'ws-protocol' | 'sse';
const ways: Way[] = ['ws-query', 'ws-protocol', 'sse'];

/** Opens a stream one way; answers the close code (WebSocket) or HTTP status (SSE), and the greeting if any. */
async function attempt(gatewayUrl: string, way: Way, credential: { token?: string; ticket?: string }, headers: Record<string, string> = {}) {
  if (way === 'sse') {
    const query = new URLSearchParams(
      credential.ticket !== undefined ? { ticket: credential.ticket } : credential.token !== undefined ? { token: credential.token } : {},
    );
    const stream = await openSse(gatewayUrl, `/v1/sse?${query}`, headers);
    if (stream.status !== 200) {
      const body = await eventually(() => JSON.parse(stream.chunks.join('')) as { error: { code: string } });
      stream.request.destroy();
      return { outcome: stream.status, body };
    }
    await eventually(() => expect(stream.chunks.join('')).toContain('connection_established'));
    const greeting = JSON.parse(/data: (\{"type":"connection_established".*)/.exec(stream.chunks.join(''))![1]!) as { user_id: string };
    stream.request.destroy();
    return { outcome: 200, greeting };
  }
  const socket = new TestSocket(gatewayUrl, {
    ...(credential.token !== undefined ? { token: credential.token, protocol: way === 'ws-protocol' } : {}),
    ...(credential.ticket !== undefined ? { query: { ticket: credential.ticket } } : {}),
    headers,
  });
  const code = await Promise.race([socket.closedPromise, socket.established().then(() => 'open' as const)]);
  if (code !== 'open') return { outcome: code };
  const greeting = (await socket.established()) as unknown as { user_id: string };
  socket.close();
  return { outcome: 200, greeting };
}

describe('with HS256 tokens', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({}, 2);
  });
  afterAll(async () => {
    await c?.close();
  });

  const refused: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    ['a malformed token', () => 'not.a.jwt'],
    ['an expired token', () => c.h.sign({ sub: 'alice', expiresIn: -10 })],
    ['alg: none', () => unsigned({ sub: 'alice', exp: inAnHour() })],
    ['another key', () => jwt.sign({ sub: 'alice' }, 'another-secret-that-is-long-enough-000', { algorithm: 'HS256', expiresIn: 600 })],
    ['HS512 with the right secret', () => jwt.sign({ sub: 'alice' }, c.h.config.JWT_SECRET!, { algorithm: 'HS512', expiresIn: 600 })],
    ['a service token', () => c.h.service],
  ];

  for (const gateway of [0, 1]) {
    for (const way of ways) {
      it.each(refused)(`gateway ${gateway + 1}, ${way}: %s is refused (1008 or 401/403 JSON)`, async (_name, token) => {
        const result = await attempt(c.gateways[gateway]!.url, way, { token: token() });
        if (way === 'sse') {
          expect([401, 403]).toContain(result.outcome);
          expect(result.body?.error.code).toMatch(/^(unauthorized|forbidden)$/);
        } else {
          expect(result.outcome).toBe(1008);
        }
      });

      it(`gateway ${gateway + 1}, ${way}: a valid token opens the user's own stream`, async () => {
        const user = uniqueId('hs');
        const result = await attempt(c.gateways[gateway]!.url, way, { token: c.h.userToken(user) });
        expect(result.greeting?.user_id).toBe(user);
      });
    }
  }

  describe('connect tickets', () => {
    const ticketFor = async (token: string) => {
      const response = await c.h.request('POST', '/v1/connect-tickets', { token });
      return response;
    };

    it('are issued only to tokens with an inbox', async () => {
      expect((await ticketFor('')).status).toBe(401);
      expect((await ticketFor(c.h.service)).status).toBe(403);
      const issued = await ticketFor(c.h.userToken('alice'));
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expires_in: 30 });
      expect(issued.headers.get('cache-control')).toBe('no-store');
    });

    for (const way of ['ws-query', 'sse'] as const) {
      it(`${way}: open the stream of the user they were issued to, once, on any gateway`, async () => {
        const alice = uniqueId('alice');
        const { ticket } = (await ticketFor(c.h.userToken(alice))).body as { ticket: string };
        const first = await attempt(c.gateways[1]!.url, way, { ticket });
        expect(first.greeting?.user_id).toBe(alice);
        // Used once: refused on the other gateway as on this one.
        for (const gateway of c.gateways) {
          const again = await attempt(gateway.url, way, { ticket });
          expect(again.outcome).toBe(way === 'sse' ? 401 : 1008);
        }
      });

      it(`${way}: a forged ticket, or a ticket with a token besides, is refused`, async () => {
        expect((await attempt(c.gateways[0]!.url, way, { ticket: 'A'.repeat(43) })).outcome).toBe(way === 'sse' ? 401 : 1008);
        const { ticket } = (await ticketFor(c.h.userToken('alice'))).body as { ticket: string };
        const target = way === 'sse' ? `/v1/sse?ticket=${ticket}&token=${c.h.userToken('bob')}` : undefined;
        if (target) {
          const stream = await openSse(c.gateways[0]!.url, target);
          expect(stream.status).toBe(400);
          stream.request.destroy();
        } else {
          const socket = new TestSocket(c.gateways[0]!.url, { token: c.h.userToken('bob'), protocol: true, query: { ticket } });
          expect(await socket.closedPromise).toBe(1008);
        }
      });
    }

    it("another user's ticket never shows this user's notifications", async () => {
      const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
      const { ticket } = (await ticketFor(c.h.userToken(alice))).body as { ticket: string };
      const socket = new TestSocket(c.gateways[0]!.url, { query: { ticket } });
      await socket.established();
      await c.h.request('POST', '/v1/notifications', { token: c.h.service, body: { to: { user_ids: [bob] }, type: 'secret', title: 'for bob' } });
      await c.h.request('POST', '/v1/notifications', { token: c.h.service, body: { to: { user_ids: [alice] }, type: 'plain', title: 'for alice' } });
      await socket.waitFor(() => socket.notifications().length === 1);
      expect(socket.notifications().map((f) => f.notification.title)).toEqual(['for alice']);
      socket.close();
    });

    it('a stream opened with a ticket ends (4001) when the token it was issued for expires', async () => {
      const token = c.h.sign({ sub: uniqueId('short'), expiresIn: 2 });
      const { ticket } = (await ticketFor(token)).body as { ticket: string };
      const socket = new TestSocket(c.gateways[0]!.url, { query: { ticket } });
      await socket.established();
      expect(await socket.closedPromise).toBe(4001);
    });
  });
});

describe('with RS256 tokens', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ JWT_PUBLIC_KEY: publicPem, JWT_PRIVATE_KEY: privatePem }, 2);
  });
  afterAll(async () => {
    await c?.close();
  });

  const refused: [string, () => string][] = [
    // Algorithm confusion: HS256 "signed" with the public key, which every client may know.
    ['HS256 with the public key as the secret', () => jwt.sign({ sub: 'alice', exp: inAnHour() }, publicPem, { algorithm: 'HS256' } as jwt.SignOptions)],
    ['alg: none', () => unsigned({ sub: 'alice', exp: inAnHour() })],
    ['RS256 signed with another key', () => jwt.sign({ sub: 'alice' }, otherKey, { algorithm: 'RS256', expiresIn: 600 })],
    ['an expired RS256 token', () => jwt.sign({ sub: 'alice' }, privatePem, { algorithm: 'RS256', expiresIn: -10 })],
  ];

  for (const gateway of [0, 1]) {
    for (const way of ways) {
      it.each(refused)(`gateway ${gateway + 1}, ${way}: %s is refused`, async (_name, token) => {
        const result = await attempt(c.gateways[gateway]!.url, way, { token: token() });
        expect(result.outcome).toBe(way === 'sse' ? 401 : 1008);
      });
    }
  }

  it('the API refuses the same tokens with 401', async () => {
    for (const [, token] of refused) expect((await c.h.request('GET', '/v1/notifications', { token: token() })).status).toBe(401);
  });

  it('a token signed with the private key opens a stream on both gateways', async () => {
    const user = uniqueId('rs');
    for (const gateway of c.gateways) expect((await attempt(gateway.url, 'ws-protocol', { token: c.h.userToken(user) })).greeting?.user_id).toBe(user);
  });
});

describe('origins and handshake limits', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ GATEWAY_ORIGINS: 'https://app.example.com', GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE: '8' }, 2);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('a browser page of another origin is refused; the allowed origin and non-browser clients are not', async () => {
    const token = c.h.userToken(uniqueId('origin'));
    const url = c.gateways[0]!.url;
    expect((await attempt(url, 'ws-protocol', { token }, { origin: 'https://evil.example' })).outcome).toBe(1008);
    expect((await attempt(url, 'sse', { token }, { origin: 'https://evil.example' })).outcome).toBe(403);
    expect((await attempt(url, 'ws-protocol', { token }, { origin: 'https://app.example.com' })).outcome).toBe(200);
    expect((await attempt(url, 'sse', { token }, {})).outcome).toBe(200);
  });

  it('more handshakes from one address than the limit get 429 with Retry-After; X-Forwarded-For is not trusted by default', async () => {
    const url = c.gateways[1]!.url;
    const port = Number(new URL(url).port);
    const handshake = (n: number) =>
      rawExchange(
        port,
        `GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Forwarded-For: 203.0.113.${n}\r\n\r\n`,
        1_000,
      );
    const statuses: number[] = [];
    for (let n = 0; n < 8; n++) statuses.push((await handshake(n)).status);
    expect(statuses.every((status) => status === 101)).toBe(true);
    const limited = await handshake(99);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(limited.text).toMatch(/retry-after: \d+/i);
    const sse = await openSse(url, `/v1/sse?token=${c.h.userToken('alice')}`);
    expect(sse.status).toBe(429);
    sse.request.destroy();
    // Each gateway counts for itself.
    expect((await attempt(c.gateways[0]!.url, 'ws-protocol', { token: c.h.userToken(uniqueId('other')) })).outcome).toBe(200);
  });
});
