import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, uniqueId } from '@tidings/test-support';
import { startCluster, TestSocket, type Cluster } from './cluster.ts';

// Bytes no browser sends, on the gateway's one port: each is answered (4xx in the JSON error
// shape) or dropped, and the gateway keeps serving everyone else.

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({}, 1);
});
afterAll(async () => {
  await c?.close();
});

const port = () => Number(new URL(c.gateways[0]!.url).port);
const upgrade = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe('request targets `new URL` cannot parse', () => {
  it.each([
    ['a plain request', 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['an upgrade', upgrade('//[')],
    ['an SSE request', 'GET http://[::/v1/sse HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ])('%s answers 404 in the JSON shape; the gateway stays up', async (_name, bytes) => {
    const answer = await rawExchange(port(), bytes);
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('not_found');
    expect((await fetch(`${c.gateways[0]!.url}/healthz`)).status).toBe(200);
  });
});

describe('handshakes ws cannot accept', () => {
  it.each([
    ['a POST upgrade', upgrade('/v1/ws').replace(/^GET/, 'POST')],
    ['no key', upgrade('/v1/ws').replace(/Sec-WebSocket-Key: [^\r]*\r\n/, '')],
    ['a bad key', upgrade('/v1/ws').replace(/Sec-WebSocket-Key: [^\r]*/, 'Sec-WebSocket-Key: short')],
    ['an unknown version', upgrade('/v1/ws').replace('Version: 13', 'Version: 99')],
    ['a broken subprotocol list', upgrade('/v1/ws', 'Sec-WebSocket-Protocol: bearer.x,,\u00ff\r\n')],
  ])('%s answers 400 bad_request in the JSON shape', async (_name, bytes) => {
    const answer = await rawExchange(port(), bytes);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('bad_request');
  });
});

describe('HTTP the parser refuses', () => {
  it('a head over 16 KB answers 431 in the JSON shape', async () => {
    const answer = await rawExchange(port(), upgrade('/v1/ws', `X-Big: ${'a'.repeat(20_000)}\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.json.error.code).toBe('headers_too_large');
  });

  it('bytes that are not HTTP answer 400', async () => {
    const answer = await rawExchange(port(), Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a]));
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('bad_request');
  });

  it('bytes after a request whose answer ends with the connection do not corrupt that answer', async () => {
    const answer = await rawExchange(port(), 'GET /nope HTTP/1.0\r\n\r\n\u0000');
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('not_found');
    expect(answer.text.match(/HTTP\/1\.[01] \d{3}/g)).toHaveLength(1);
  });

  it('a request without a Host header is served like any other', async () => {
    expect((await rawExchange(port(), 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n')).status).toBe(200);
  });

  it('a client that resets in the middle of a handshake harms nobody', async () => {
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = connect(port(), '127.0.0.1', () => {
        socket.write(upgrade('/nowhere'));
        socket.resetAndDestroy();
        resolve();
      });
    });
    const user = uniqueId('after');
    const socket = new TestSocket(c.gateways[0]!.url, { token: c.h.userToken(user) });
    await socket.established();
    socket.close();
  });
});
