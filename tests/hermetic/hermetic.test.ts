import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Whoever runs `npm test` may have exported their own configuration (a JWT_SECRET to run
// `npm start`, NODE_ENV=production, another REDIS_PREFIX). None of it may reach a service under
// test: a test that spawns services is run here under an environment where every variable of the
// README's configuration table is set to some other value, and must pass as it does in a clean one.

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every variable the README's configuration table documents. */
function documentedVariables(): string[] {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Scaling out'));
  const names = new Set<string>();
  for (const line of table.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1] ?? '';
    for (const match of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(match[1]!);
  }
  return [...names];
}

/** A value for each variable that would break the test if a spawned service inherited it. */
function pollutedEnvironment(names: readonly string[]): Record<string, string> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const database = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings');
  database.pathname = '/polluted_by_the_caller';
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redis.pathname = '/7';
  const specific: Record<string, string> = {
    NODE_ENV: 'production',
    // Where Postgres and Redis run stays the same server (npm test found them there); everything else differs.
    DATABASE_URL: database.toString(),
    REDIS_URL: redis.toString(),
    REDIS_PREFIX: 'polluted:',
    JWT_SECRET: 'a-secret-the-caller-exported-for-npm-start',
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_ISSUER: 'https://polluted.example',
    JWT_AUDIENCE: 'polluted',
    SMTP_URL: 'smtp://127.0.0.1:1',
    LOG_LEVEL: 'fatal',
    GATEWAY_ORIGINS: 'https://polluted.example',
    CORS_ORIGINS: 'https://polluted.example',
    TRUST_PROXY: 'true',
    GATEWAY_ID: 'polluted',
    DIGEST_TZ: 'Antarctica/Troll',
    DIGEST_DAILY_CRON: '0 0 1 1 *',
    DIGEST_WEEKLY_CRON: '0 0 1 1 *',
    PUBLIC_URL: 'https://polluted.example',
    EMAIL_FROM: 'polluted@polluted.example',
    UNSUBSCRIBE_MAILTO: 'polluted@polluted.example',
    BRAND_LOGO_URL: 'https://polluted.example/logo.png',
    BRAND_COLOR: '#000',
    HEARTBEAT_MS: '1000',
  };
  // The rest are numbers (ports, sizes, limits) or free text: 1 is a bad value for every one of them.
  return Object.fromEntries(
    names.map((name) => [name, specific[name] ?? (/_(PORT|SIZE|BYTES|MS|ATTEMPTS|CONCURRENCY|THRESHOLD|MINUTE|10S|USER)$/.test(name) ? '1' : 'polluted')]),
  );
}

describe('the test suite, run by a caller with a configuration of their own', () => {
  it('documents the variables it pollutes', () => {
    expect(documentedVariables()).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'REDIS_PREFIX', 'NODE_ENV', 'GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE', 'WS_MESSAGES_PER_10S']),
    );
  });

  it('still passes a test that spawns gateways (they get exactly the test configuration)', { timeout: 120_000 }, async () => {
    const env = { ...process.env, ...pollutedEnvironment(documentedVariables()) };
    const child = spawn(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', 'services/gateway/tests/failover.test.ts', '--reporter=dot'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output.slice(-4_000)).toBe(0);
    expect(output).toMatch(/1 passed/);
  });
});
