import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '@tidings/server-kit';
import { createTestEnvironment, type TestEnvironment } from '@tidings/test-support';
import { startApi, type RunningApi } from '../../services/api/src/main.ts';
import { startGateway, type RunningGateway } from '../../services/gateway/src/main.ts';

// Credentials that arrive in a URL (a `?token=` WebSocket, an unsubscribe link, a connect ticket)
// or a header must never be written to a log, at any level.

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString());
    done();
  },
});

let env: TestEnvironment;
let api: RunningApi;
let gateway: RunningGateway;
beforeAll(async () => {
  env = await createTestEnvironment();
  api = await startApi(env.config, createLogger('api', 'trace', sink), 0);
  gateway = await startGateway(env.config, createLogger('gateway', 'trace', sink), 0);
});
afterAll(async () => {
  await gateway?.close();
  await api?.close();
  await env?.dispose();
});

const logged = () => lines.join('');

describe('logs', () => {
  it('never hold a token, a ticket or an unsubscribe token, whatever the route answered', async () => {
    const token = env.sign({ sub: 'alice' });
    const ticket = (
      (await (await fetch(`${api.url}/v1/connect-tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { ticket: string }
    ).ticket;
    const secrets = [token, ticket, 'unsubscribe-secret-value-123'];
    await fetch(`${api.url}/v1/unsubscribe?token=unsubscribe-secret-value-123`);
    await fetch(`${api.url}/v1/notifications?token=${token}&ticket=${ticket}`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${api.url}/v1/nowhere?token=${token}`);

    const wsUrl = gateway.url.replace(/^http/, 'ws');
    for (const url of [`${wsUrl}/v1/ws?token=${token}`, `${wsUrl}/v1/ws?ticket=${ticket}`, `${wsUrl}/v1/ws?token=${token}x`]) {
      const socket = new WebSocket(url);
      await new Promise((resolve) => socket.once('close', resolve).once('message', () => socket.close()));
    }
    await fetch(`${gateway.url}/v1/sse?token=${token}x`);

    expect(lines.length).toBeGreaterThan(5);
    expect(logged()).toContain('[redacted]');
    for (const secret of secrets) expect(logged()).not.toContain(secret);
  });
});
