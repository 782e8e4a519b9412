import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpsHandler, readinessChecks, type OpsOptions } from './ops.ts';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** A server answering with the ops handler and, for anything it does not take, a 404 of its own. */
async function serve(options: Partial<OpsOptions> = {}): Promise<{ registry: Registry; base: string }> {
  const registry = options.registry ?? new Registry();
  const ops = createOpsHandler({ ...options, registry });
  const server = createServer((req, res) => {
    if (ops(req, res)) return;
    res.writeHead(404, { 'x-served-by': 'caller' }).end();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { registry, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** HEAD over node:http, which shows whether any body bytes came back. */
function head(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { method: 'HEAD' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

const never = () => new Promise<never>(() => {});

describe('createOpsHandler', () => {
  it('answers /healthz with ok while the process runs', async () => {
    const { base } = await serve({ checks: { postgres: { code: 'database_unavailable', run: () => Promise.reject(new Error('down')) } } });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 with every check when all pass', async () => {
    const { base } = await serve({
      checks: {
        postgres: readinessChecks.postgres(async () => [{ '?column?': 1 }]),
        redis: readinessChecks.redis({ ping: async () => 'PONG' as const }),
        draining: readinessChecks.notDraining(() => false),
      },
    });
    const res = await fetch(`${base}/readyz?probe=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', draining: 'ok' } });
  });

  it('is ready without checks', async () => {
    const { base } = await serve();
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ok', checks: {} });
  });

  it('answers /readyz 503 in the error shape, naming the failing checks, coded by the first', async () => {
    const { base } = await serve({
      checks: {
        draining: readinessChecks.notDraining(() => false),
        postgres: readinessChecks.postgres(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))),
        redis: {
          code: 'redis_unavailable',
          run: () => {
            throw new Error('Connection is closed.');
          },
        },
      },
    });
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: 'database_unavailable',
        message: 'not ready: postgres, redis',
        details: { checks: { draining: 'ok', postgres: 'unavailable: connect ECONNREFUSED 127.0.0.1:5432', redis: 'unavailable: Connection is closed.' } },
      },
    });
  });

  it('answers draining first when the service shuts down', async () => {
    const { base } = await serve({
      checks: { draining: readinessChecks.notDraining(() => true), redis: readinessChecks.redis({ ping: async () => 'PONG' as const }) },
    });
    const body = (await (await fetch(`${base}/readyz`)).json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'draining', message: 'not ready: draining' });
  });

  it('counts a check that does not answer in time as failed, without holding the request', async () => {
    const { base } = await serve({
      timeoutMs: 50,
      checks: {
        postgres: { code: 'database_unavailable', run: never },
        redis: { code: 'redis_unavailable', run: never, timeoutMs: 80 },
      },
    });
    const started = Date.now();
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { details: { checks: Record<string, string> } } };
    expect(body.error.details.checks).toEqual({ postgres: 'unavailable: no answer in 50 ms', redis: 'unavailable: no answer in 80 ms' });
  });

  it('runs the checks once for concurrent probes', async () => {
    let runs = 0;
    const { base } = await serve({
      checks: {
        postgres: {
          code: 'database_unavailable',
          run: async () => {
            runs += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          },
        },
      },
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/readyz`)));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(runs).toBe(1);
    await fetch(`${base}/readyz`);
    expect(runs).toBe(2);
  });

  it('keeps credentials a driver put in its message out of the answer', async () => {
    const { base } = await serve({
      checks: { redis: { code: 'redis_unavailable', run: () => Promise.reject(new Error('cannot reach redis://admin:s3cret@cache:6379/?token=abc.def')) } },
    });
    const text = await (await fetch(`${base}/readyz`)).text();
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('abc.def');
    expect(text).toContain('redis://[redacted]@cache:6379/?token=[redacted]');
  });

  it('answers HEAD with the status and headers and no body', async () => {
    const { base } = await serve({ checks: { postgres: { code: 'database_unavailable', run: () => Promise.reject(new Error('down')) } } });
    const health = await head(`${base}/healthz`);
    expect(health).toMatchObject({ status: 200, body: '' });
    expect(health.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await head(`${base}/readyz`)).toMatchObject({ status: 503, body: '' });
    expect(await head(`${base}/metrics`)).toMatchObject({ status: 200, body: '' });
  });

  it('serves the registry as Prometheus text, refreshed before each scrape', async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'tidings_test_jobs_total', help: 'Jobs seen.', registers: [registry] });
    const { base } = await serve({ registry, beforeMetrics: async () => jobs.inc(2) });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    expect(await res.text()).toContain('tidings_test_jobs_total 2');
  });

  it('scrapes with the values from before when the refresh does not answer in time', async () => {
    const registry = new Registry();
    new Counter({ name: 'tidings_test_stale_total', help: 'Stays.', registers: [registry] }).inc();
    const { base } = await serve({ registry, timeoutMs: 50, beforeMetrics: never });
    const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(2_000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('tidings_test_stale_total 1');
  });

  it('leaves other paths and methods to the caller', async () => {
    const { base } = await serve();
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/healthz/'],
      ['GET', '/metrics.json'],
      ['GET', '/HEALTHZ'],
      ['POST', '/healthz'],
      ['DELETE', '/readyz'],
      ['PUT', '/metrics'],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('x-served-by'), `${method} ${path}`).toBe('caller');
    }
  });
});
