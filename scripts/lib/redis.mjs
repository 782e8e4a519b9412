// Redis from a local redis-server, with its data under `.data/redis`. Node built-ins only: these
// run before any install.
import fs from 'node:fs';
import path from 'node:path';
import { onPath } from './executables.mjs';
import { waitFor } from './probe.mjs';
import { DATA_DIR, ROOT, capture, say } from './process.mjs';

/** Starts a local redis-server, daemonised, on `port`; resolves false when none is on PATH. */
export async function startLocalRedis({ host, port }) {
  const [server] = onPath('redis-server');
  if (!server) return false;
  const version = /v=(\d+)\./.exec(capture(server, ['--version'], { timeout: 10_000 }).stdout);
  const major = version ? Number(version[1]) : undefined;
  if (major !== undefined && major < 7) say(`redis: warning: redis-server ${major} found, Tidings is tested with 7 and later`);
  const dir = path.join(DATA_DIR, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const bind = host === '::1' ? '::1' : '127.0.0.1';
  const result = capture(server, [
    '--port',
    String(port),
    '--bind',
    bind,
    '--daemonize',
    'yes',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--pidfile',
    path.join(DATA_DIR, `redis-${port}.pid`),
    '--logfile',
    path.join(DATA_DIR, 'redis.log'),
  ]);
  if (result.status !== 0 || !(await waitFor('redis', host, port, 15_000))) {
    console.error(`redis: could not start redis-server on ${port} (see .data/redis.log):\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  say(`redis: started local redis-server on ${port} (data in ${path.relative(ROOT, dir)})`);
  return true;
}
