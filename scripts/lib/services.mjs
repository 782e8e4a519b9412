// Postgres and Redis for the bootstrap scripts: found, started with Docker, or started from local
// binaries. Node built-ins only: these run before any install.
import { dockerAnswers, startWithCompose } from './docker.mjs';
import { startLocalPostgres } from './postgres.mjs';
import { probe } from './probe.mjs';
import { say } from './process.mjs';
import { startLocalRedis } from './redis.mjs';

export { probe };

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tidings';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0', '']);

function endpoint(url, defaultPort) {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { url: parsed, host, port: Number(parsed.port || defaultPort), local: LOCAL_HOSTS.has(parsed.hostname) };
}

function missingServicesMessage(names, targets) {
  const wanted = names.map((name) => `${name === 'postgres' ? 'Postgres (15+)' : 'Redis (7+)'} on ${targets[name].host}:${targets[name].port}`);
  return [
    `Tidings needs ${wanted.join(' and ')}, and none could be found or started.`,
    '  Install them:   sudo apt-get install postgresql redis-server   (macOS: brew install postgresql@16 redis)',
    '  or Docker:      a running Docker engine is used through `docker compose up -d postgres redis`',
    '  or point at running servers: DATABASE_URL=postgres://user@host:5432/tidings REDIS_URL=redis://host:6379',
  ].join('\n');
}

/**
 * Finds Postgres and Redis, or starts them: a server that answers is used as is; otherwise
 * Docker compose when an engine answers; otherwise local binaries with data under `.data/`.
 * Returns the URLs to hand to the children (also set in process.env).
 */
export async function ensureServices({
  databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL,
} = {}) {
  const targets = { postgres: endpoint(databaseUrl, 5432), redis: endpoint(redisUrl, 6379) };
  const tls = redisUrl.startsWith('rediss:');
  const missing = {};
  for (const [name, target] of Object.entries(targets)) {
    const state = await probe(name === 'redis' && tls ? 'tcp' : name, target.host, target.port);
    if (state === 'ok') {
      say(`${name}: using ${target.host}:${target.port}`);
    } else if (state === 'other') {
      console.error(
        `${name}: something listens on ${target.host}:${target.port} but it does not answer like ${name === 'postgres' ? 'Postgres' : 'Redis'}; free the port or set ${name === 'postgres' ? 'DATABASE_URL' : 'REDIS_URL'}`,
      );
      process.exit(1);
    } else if (!target.local) {
      console.error(
        `${name}: nothing answers on ${target.host}:${target.port} (from ${name === 'postgres' ? 'DATABASE_URL' : 'REDIS_URL'}); start it there or change the URL`,
      );
      process.exit(1);
    } else {
      missing[name] = target;
    }
  }

  if (Object.keys(missing).length > 0 && dockerAnswers()) {
    if (await startWithCompose(missing)) {
      for (const name of Object.keys(missing)) delete missing[name];
    } else {
      say('docker: compose could not start the services, trying local binaries');
    }
  }
  if (missing.postgres && (await startLocalPostgres(missing.postgres))) delete missing.postgres;
  if (missing.redis && (await startLocalRedis(missing.redis))) delete missing.redis;

  const stillMissing = Object.keys(missing);
  if (stillMissing.length > 0) {
    console.error(missingServicesMessage(stillMissing, targets));
    process.exit(1);
  }
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redisUrl;
  return { databaseUrl, redisUrl };
}
