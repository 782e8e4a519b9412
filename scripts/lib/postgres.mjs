// Postgres from local binaries, with its data under `.data/postgres`. Node built-ins only: these
// run before any install.
import fs from 'node:fs';
import path from 'node:path';
import { onPath } from './executables.mjs';
import { waitFor } from './probe.mjs';
import { DATA_DIR, ROOT, capture, isWindows, majorOf, run, say } from './process.mjs';

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

/** Starts (initialising it the first time) a local Postgres for `url`; resolves false when no install is found. */
export async function startLocalPostgres({ url, host, port }) {
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
