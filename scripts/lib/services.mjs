// Postgres and Redis for the bootstrap scripts: found, started with Docker, or started from local
// binaries. Node built-ins only: these run before any install.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DATA_DIR, ROOT, capture, isWindows, majorOf, run, say } from './process.mjs';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tidings';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0', '']);

function endpoint(url, defaultPort) {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { url: parsed, host, port: Number(parsed.port || defaultPort), local: LOCAL_HOSTS.has(parsed.hostname) };
}

/**
 * Connects to host:port and speaks the first words of the protocol, so a port held by something
 * else (or a Docker port proxy whose container is not up yet) is not taken for the real server.
 * Resolves 'ok' (the server answered), 'closed' (nothing listens) or 'other' (something listens
 * but does not answer like that server).
 */
export function probe(kind, host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let connected = false;
    const done = (state) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done(connected ? 'other' : 'closed'), timeoutMs);
    socket.once('connect', () => {
      connected = true;
      if (kind === 'postgres') {
        // SSLRequest: Int32 length 8, Int32 80877103. A Postgres server answers one byte, S or N.
        const request = Buffer.alloc(8);
        request.writeInt32BE(8, 0);
        request.writeInt32BE(80877103, 4);
        socket.write(request);
      } else if (kind === 'redis') {
        socket.write('PING\r\n');
      } else {
        done('ok');
      }
    });
    socket.once('data', (data) => {
      const first = String.fromCharCode(data[0]);
      if (kind === 'postgres') done(first === 'S' || first === 'N' || first === 'E' ? 'ok' : 'other');
      // +PONG, or an error such as -NOAUTH or -LOADING: Redis either way.
      else done(first === '+' || first === '-' ? 'ok' : 'other');
    });
    socket.once('error', () => done(connected ? 'other' : 'closed'));
    socket.once('close', () => done(connected ? 'other' : 'closed'));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(kind, host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await probe(kind, host, port)) === 'ok') return true;
    await sleep(500);
  }
  return false;
}

function dockerAnswers() {
  return capture('docker', ['info'], { timeout: 5_000 }).status === 0;
}

function composeCommand() {
  if (capture('docker', ['compose', 'version'], { timeout: 10_000 }).status === 0) return ['docker', 'compose'];
  if (capture('docker-compose', ['version'], { timeout: 10_000 }).status === 0) return ['docker-compose'];
  return undefined;
}

/** `docker compose up -d` for the missing ones, with the host ports taken from the URLs. */
async function startWithCompose(missing) {
  const compose = composeCommand();
  if (!compose) return false;
  const env = { ...process.env };
  if (missing.postgres) env.TIDINGS_POSTGRES_PORT = String(missing.postgres.port);
  if (missing.redis) env.TIDINGS_REDIS_PORT = String(missing.redis.port);
  const names = Object.keys(missing);
  say(`${names.join(', ')}: starting with ${compose.join(' ')} up -d ${names.join(' ')}`);
  const code = await run(compose[0], [...compose.slice(1), 'up', '-d', ...names], { env });
  if (code !== 0) return false;
  for (const name of names) {
    const { host, port } = missing[name];
    if (!(await waitFor(name, host, port, 60_000))) {
      console.error(`${name}: the container did not answer on ${host}:${port} within 60 s (see \`docker compose logs ${name}\`)`);
      process.exit(1);
    }
    say(`${name}: started with docker compose on ${port}`);
  }
  return true;
}

/**
 * Every executable named `name` on PATH. Symlinks are kept as they are: Debian's redis-server is a
 * link to a multi-call binary that picks its role from the name it was started by.
 */
function onPath(name) {
  const found = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) found.push(file);
    } catch {
      // not here
    }
  }
  return found;
}

/** Directories holding initdb, pg_ctl and postgres together, with their major version, highest first. */
function postgresInstalls() {
  const dirs = new Set(onPath('initdb').map((file) => path.dirname(file)));
  for (const base of ['/usr/lib/postgresql', '/usr/local/pgsql', '/opt/homebrew/opt', '/usr/local/opt']) {
    let entries;
    try {
      entries = fs.readdirSync(base);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (base.endsWith('/opt') && !entry.startsWith('postgresql')) continue;
      dirs.add(path.join(base, entry, 'bin'));
    }
    if (base === '/usr/local/pgsql') dirs.add(path.join(base, 'bin'));
  }
  const installs = [];
  for (const dir of dirs) {
    const tools = ['initdb', 'pg_ctl', 'postgres'].map((tool) => path.join(dir, tool));
    if (!tools.every((tool) => fs.existsSync(tool))) continue;
    const major = majorOf(capture(path.join(dir, 'pg_ctl'), ['--version'], { timeout: 10_000 }).stdout);
    if (major !== undefined) installs.push({ dir, major });
  }
  return installs.sort((a, b) => b.major - a.major);
}

function userIds(name) {
  const uid = capture('id', ['-u', name]);
  const gid = capture('id', ['-g', name]);
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function chownRecursive(target, { uid, gid }) {
  fs.chownSync(target, uid, gid);
  if (fs.lstatSync(target).isDirectory()) {
    for (const entry of fs.readdirSync(target)) chownRecursive(path.join(target, entry), { uid, gid });
  }
}

/** Postgres refuses to run as root: as root, its tools run as the `postgres` user. */
function postgresRunner() {
  if (isWindows || process.getuid?.() !== 0) return { wrap: (cmd, args) => [cmd, args], owner: undefined };
  const owner = userIds('postgres');
  if (!owner) {
    console.error(
      'postgres: running as root, and Postgres refuses to run as root, but there is no `postgres` user to run it as.\n' +
        '  Create one (useradd --system --create-home postgres), run as another user, or set DATABASE_URL.',
    );
    process.exit(1);
  }
  if (onPath('runuser').length > 0) return { wrap: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]], owner };
  const quote = (value) => `'${String(value).replace(/'/g, `'\\''`)}'`;
  return { wrap: (cmd, args) => ['su', ['postgres', '-s', '/bin/sh', '-c', [cmd, ...args].map(quote).join(' ')]], owner };
}

/** Every directory above `dir` must be traversable by the `postgres` user. */
function makeTraversable(dir) {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, mode | 0o001);
      say(`postgres: made ${current} traversable (o+x) so the postgres user can reach .data/`);
    }
    if (path.dirname(current) === current) break;
  }
}

function capturePg(runner, cmd, args) {
  const [command, commandArgs] = runner.wrap(cmd, args);
  return capture(command, commandArgs, { cwd: DATA_DIR, timeout: 120_000 });
}

async function runPg(runner, cmd, args) {
  const [command, commandArgs] = runner.wrap(cmd, args);
  return run(command, commandArgs, { cwd: DATA_DIR });
}

async function startLocalPostgres({ url, host, port }) {
  const installs = postgresInstalls();
  if (installs.length === 0) return false;
  const dataDir = path.join(DATA_DIR, 'postgres');
  const logFile = path.join(DATA_DIR, 'postgres.log');
  const relative = path.relative(ROOT, dataDir);

  // A data directory made by an earlier run needs binaries of its own major version.
  let existing;
  try {
    existing = Number(fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim());
  } catch {
    existing = undefined;
  }
  const chosen = existing === undefined ? installs[0] : installs.find((install) => install.major === existing);
  if (!chosen) {
    console.error(
      `postgres: ${relative} was made by Postgres ${existing}, but only Postgres ${installs.map((i) => i.major).join(', ')} is installed.\n` +
        `  Remove ${relative} (its data is lost) or install Postgres ${existing}.`,
    );
    process.exit(1);
  }
  if (chosen.major < 15) say(`postgres: warning: Postgres ${chosen.major} found, Tidings is tested with 15 and later`);
  const bin = (tool) => path.join(chosen.dir, tool);
  const runner = postgresRunner();

  fs.mkdirSync(DATA_DIR, { recursive: true }); // 0755: only the data directory itself is private
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(logFile)) fs.writeFileSync(logFile, '');
  if (runner.owner) {
    makeTraversable(dataDir);
    if (fs.statSync(dataDir).uid !== runner.owner.uid) chownRecursive(dataDir, runner.owner);
    fs.chownSync(logFile, runner.owner.uid, runner.owner.gid);
  }

  if (existing === undefined) {
    const user = decodeURIComponent(url.username) || 'postgres';
    say(`postgres: initialising ${relative} (Postgres ${chosen.major}, superuser ${user}, trust auth)`);
    const init = capturePg(runner, bin('initdb'), ['-D', dataDir, '--auth=trust', '-U', user, '--encoding=UTF8']);
    if (init.status !== 0) {
      console.error(`postgres: initdb failed:\n${init.stdout}${init.stderr}`);
      process.exit(1);
    }
  }

  // Still running from an earlier start on another port: restart it on the one asked for.
  if (capturePg(runner, bin('pg_ctl'), ['-D', dataDir, 'status']).status === 0) {
    say(`postgres: the server in ${relative} runs on another port, restarting it on ${port}`);
    await runPg(runner, bin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  }

  const listen = host === '::1' ? '::1' : '127.0.0.1';
  const options = `-p ${port} -k /tmp -c listen_addresses=${listen}`;
  const started = capturePg(runner, bin('pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  if (started.status !== 0 || !(await waitFor('postgres', host, port, 10_000))) {
    console.error(`postgres: could not start the local server (see ${path.relative(ROOT, logFile)}):\n${started.stdout}${started.stderr}`);
    process.exit(1);
  }
  say(`postgres: started local postgres ${chosen.major} on ${port} (data in ${relative})`);
  return true;
}

async function startLocalRedis({ host, port }) {
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
