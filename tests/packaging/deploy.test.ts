import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, spawnService, type SpawnedService, type TestEnvironment } from '@tidings/test-support';
import { freePort } from '@tidings/test-support/bench';
import { pnpm, repoRoot, sh } from './tools.ts';

/**
 * What the image runs: each service copied out with its production dependencies only (`pnpm deploy
 * --prod`, as the Dockerfile does), started as `node dist/main.js` with NODE_ENV=production by a
 * user that owns none of its files.
 */
const services = ['api', 'gateway', 'worker', 'mailbox'] as const;
/** Packages that only build or test: none may reach a production install. */
const devOnly = ['typescript', 'tsx', 'vitest', 'vite', 'drizzle-kit', 'esbuild', 'playwright-core', 'rolldown'];
/** `nobody`, when the test runs as root (as CI does); otherwise the test's own user. */
const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

let dir: string;
let environment: TestEnvironment;
const running: SpawnedService[] = [];

beforeAll(async () => {
  for (const built of ['packages/inbox/dist/cdn/manifest.json', 'packages/console/dist/index.html']) {
    if (!existsSync(path.join(repoRoot, built))) throw new Error(`${built} is missing: build the web packages first (npm test does)`);
  }
  dir = await mkdtemp(path.join(tmpdir(), 'tidings-deploy-'));
  await chmod(dir, 0o755);
  for (const service of services) {
    await sh(pnpm, ['--filter', `@tidings/${service}`, 'deploy', '--prod', '--legacy', path.join(dir, service)], { cwd: repoRoot, timeoutMs: 180_000 });
  }
  environment = await createTestEnvironment();
}, 600_000);

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await environment?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(service: (typeof services)[number], values: Record<string, string>): Promise<SpawnedService> {
  const production = {
    ...environment.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    JWT_SECRET: randomBytes(32).toString('hex'),
    UNSUBSCRIBE_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'http://127.0.0.1',
    SMTP_URL: 'smtp://127.0.0.1:9',
  };
  const spawned = await spawnService(service, path.join(dir, service, 'dist/main.js'), { ...production, ...values }, user);
  running.push(spawned);
  return spawned;
}

describe('the production install of each service', () => {
  it('holds its built JavaScript and no build or test tooling', async () => {
    for (const service of services) {
      const files = await readdir(path.join(dir, service));
      expect(files, service).toContain('dist');
      expect(files, service).not.toContain('src');
      const installed = (await readdir(path.join(dir, service, 'node_modules/.pnpm'))).map((entry) => entry.replace(/@[^@]+$/, ''));
      expect(
        installed.filter((name) => devOnly.includes(name)),
        service,
      ).toEqual([]);
    }
  });

  it('runs as node dist/main.js in production, ready and serving', async () => {
    const api = await start('api', { API_PORT: String(await freePort()) });
    const gateway = await start('gateway', { GATEWAY_PORT: String(await freePort()), GATEWAY_ID: 'deployed' });
    const worker = await start('worker', { WORKER_PORT: String(await freePort()) });
    const mailbox = await start('mailbox', { MAILBOX_SMTP_PORT: String(await freePort()), MAILBOX_HTTP_PORT: String(await freePort()) });

    for (const service of [api, gateway, worker]) {
      const ready = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      expect(ready.status, service.name).toBe(200);
    }
    expect((await fetch(`http://127.0.0.1:${mailbox.port}/healthz`)).status).toBe(200);
    // What the API serves from the web packages' builds.
    const inbox = await fetch(`http://127.0.0.1:${api.port}/inbox/tidings-inbox.js`);
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('content-type')).toMatch(/javascript/);
    const console = await fetch(`http://127.0.0.1:${api.port}/console/`);
    expect(console.status).toBe(200);
    expect(await console.text()).toContain('<div id="root">');
    // Production refuses the development token route.
    expect((await fetch(`http://127.0.0.1:${api.port}/v1/dev/tokens`, { method: 'POST' })).status).toBe(404);
  });
});
