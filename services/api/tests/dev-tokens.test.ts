import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tidings/config';
import { limits } from '@tidings/protocol';
import { createLogger } from '@tidings/server-kit';
import { createTestEnvironment, databaseFingerprint, type TestEnvironment } from '@tidings/test-support';
import { startApi, type RunningApi } from '../src/main.ts';
import type { ApiDeps } from '../src/deps.ts';
import { DEV_TOKEN_TTL_S, devTokenRoutes } from '../src/routes/dev-tokens.ts';
import { startHarness, type ApiHarness } from './harness.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A request to `address` with exactly these headers (fetch would not let a test set Host). */
function send(port: number, options: { address?: string; method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const address = options.address ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/v1/dev/tokens',
        headers: { host: `${address.includes(':') ? `[${address}]` : address}:${port}`, 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body ?? JSON.stringify({ sub: 'alice' }));
  });
}

const portOf = (url: string) => Number(new URL(url).port);
const nonLoopbackAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;

describe('POST /v1/dev/tokens in development', () => {
  let env: TestEnvironment;
  let api: RunningApi;
  const logLines: string[] = [];
  beforeAll(async () => {
    env = await createTestEnvironment({ NODE_ENV: 'development' });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    api = await startApi(env.config, createLogger('api', 'info', destination), 0);
  });
  afterAll(async () => {
    await api?.close();
    await env?.dispose();
  });

  it('answers 201 with a token for any user, signed with the configured key, good for 12 hours', async () => {
    const answer = await send(portOf(api.url), { body: JSON.stringify({ sub: 'root', roles: ['admin'], scope: 'notifications:publish' }) });
    expect(answer.status).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(Object.keys(answer.body)).toEqual(['token']);
    const principal = api.deps.verify(answer.body.token);
    expect(principal).toMatchObject({ userId: 'root', roles: ['admin'], scopes: ['notifications:publish'], isAdmin: true });
    expect(principal.expiresAt! - Date.now() / 1000).toBeGreaterThan(DEV_TOKEN_TTL_S - 60);
    expect(principal.expiresAt! - Date.now() / 1000).toBeLessThanOrEqual(DEV_TOKEN_TTL_S);
    expect(DEV_TOKEN_TTL_S).toBe(12 * 3_600);

    const stats = await fetch(`${api.url}/v1/admin/stats`, { headers: { authorization: `Bearer ${answer.body.token}` } });
    expect(stats.status).toBe(200);
  });

  it('answers over IPv6 loopback and for a localhost Host too', async () => {
    expect((await send(portOf(api.url), { address: '::1' })).status).toBe(201);
    expect((await send(portOf(api.url), { headers: { host: `localhost:${portOf(api.url)}` } })).status).toBe(201);
    expect((await send(portOf(api.url), { headers: { host: 'console.localhost' } })).status).toBe(201);
  });

  it('logs who got a token, never the token', async () => {
    const answer = await send(portOf(api.url), { body: JSON.stringify({ sub: 'logged-user', roles: ['support'] }) });
    expect(answer.status).toBe(201);
    const issued = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'development token issued' && line.sub === 'logged-user');
    expect(issued).toMatchObject({ level: 30, sub: 'logged-user', roles: ['support'] });
    expect(logLines.some((line) => line.includes(answer.body.token))).toBe(false);
    expect(logLines.some((line) => line.includes(answer.body.token.split('.')[2]))).toBe(false);
  });

  const unknownRoute = { error: { code: 'not_found', message: 'no route for POST /v1/dev/tokens' } };

  it.each([
    ['X-Forwarded-For, even naming loopback', { 'x-forwarded-for': '127.0.0.1' }],
    ['Forwarded', { forwarded: 'for=127.0.0.1' }],
    ['X-Real-IP', { 'x-real-ip': '::1' }],
    ['a Host that is not this machine (DNS rebinding)', { host: 'evil.example' }],
    ['a Host that only starts like localhost', { host: 'localhost.evil.example' }],
  ])('with %s answers the 404 of an unknown route, before reading the body', async (_label, headers) => {
    const port = portOf(api.url);
    for (const body of [JSON.stringify({ sub: 'alice' }), '{"sub": ', JSON.stringify({ sub: '' })]) {
      const answer = await send(port, { headers, body });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(unknownRoute);
    }
    const unknown = await send(port, { path: '/v1/dev/nothing', headers });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'no route for POST /v1/dev/nothing' } } });
  });

  it('counts a refused request in the request metric as unmatched, like an unknown route', async () => {
    await send(portOf(api.url), { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/tidings_http_request_duration_seconds_count\{[^}]*method="POST",route="unmatched",status="404"\}/);
    expect(metrics).not.toMatch(/route="\/v1\/dev\/tokens",status="404"/);
  });

  it.skipIf(nonLoopbackAddress === undefined)('from an address that is not loopback answers the 404 of an unknown route', async () => {
    const answer = await send(portOf(api.url), { address: nonLoopbackAddress!, headers: { host: `localhost:${portOf(api.url)}` } });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(unknownRoute);
  });

  it.each([
    ['sub', {}],
    ['sub', { sub: '' }],
    ['sub', { sub: 'line\nbreak' }],
    ['sub', { sub: 'x'.repeat(limits.userIdLength + 1) }],
    ['sub', { sub: 42 }],
    ['roles', { sub: 'a', roles: 'admin' }],
    ['roles.0', { sub: 'a', roles: ['has space'] }],
    ['roles', { sub: 'a', roles: Array.from({ length: limits.rolesPerRequest + 1 }, (_, i) => `r${i}`) }],
    ['scope', { sub: 'a', scope: 'notifications:publish\u0007' }],
    ['scope', { sub: 'a', scope: 5 }],
    ['expires_in', { sub: 'a', expires_in: 99_999_999 }],
  ])('names %s in a 400 for a bad request, and issues nothing', async (field, body) => {
    const before = await databaseFingerprint(api.deps.database.sql);
    const issuedBefore = logLines.filter((line) => line.includes('development token issued')).length;
    const answer = await send(portOf(api.url), { body: JSON.stringify(body) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(answer.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(answer.body.token).toBeUndefined();
    expect(logLines.filter((line) => line.includes('development token issued')).length).toBe(issuedBefore);
    expect(await databaseFingerprint(api.deps.database.sql)).toBe(before);
  });

  it('is in the OpenAPI document, said to be for development only', async () => {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary: string; tags: string[] }>> };
    const operation = document.paths['/v1/dev/tokens']?.post;
    expect(operation?.tags).toEqual(['Development']);
    expect(operation?.summary ?? '').toMatch(/^Development only/);
  });
});

describe('POST /v1/dev/tokens outside development', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startHarness({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40), UNSUBSCRIBE_SECRET: 'u'.repeat(32) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('does not exist: from loopback too it answers the 404 of an unknown route', async () => {
    const answer = await send(portOf(h.api.url), {});
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: 'not_found', message: 'no route for POST /v1/dev/tokens' } });
  });

  it('is not in the OpenAPI document', async () => {
    const document = (await (await fetch(`${h.api.url}/openapi.json`)).json()) as { paths: Record<string, unknown>; tags?: unknown };
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/v1/dev'))).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('Development only');
  });
});

describe('POST /v1/dev/tokens with a key of the deployment’s own', () => {
  it('does not exist, even in development: its tokens would open that deployment', () => {
    const { publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    for (const env of [{ JWT_PUBLIC_KEY: publicKey }, { JWT_SECRET: 's'.repeat(40) }]) {
      const config = loadConfig({ NODE_ENV: 'development', ...env });
      expect(devTokenRoutes({ config, logger: createLogger('api', 'silent') } as unknown as ApiDeps)).toEqual([]);
    }
  });
});
