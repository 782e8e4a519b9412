// `npm start`: pnpm 12 → install → Postgres and Redis → migrate → every service, one terminal.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { ROOT, ensurePnpm, ensureServices, install, run } from './lib/bootstrap.mjs';

const env = process.env;
const API_PORT = env.API_PORT || '3000';
const MAILBOX_SMTP_PORT = env.MAILBOX_SMTP_PORT || '1025';
const MAILBOX_HTTP_PORT = env.MAILBOX_HTTP_PORT || '8025';
/** Without an SMTP server of the user's own, emails go to the dev mailbox, which keeps them for reading. */
const devMailbox = !env.SMTP_URL;

/** Every service `npm start` runs. */
const SERVICES = [
  ...(devMailbox ? [{ name: 'mailbox', entry: 'services/mailbox/src/main.ts', env: { MAILBOX_SMTP_PORT, MAILBOX_HTTP_PORT } }] : []),
  { name: 'api', entry: 'services/api/src/main.ts', env: { API_PORT } },
  { name: 'gateway-1', entry: 'services/gateway/src/main.ts', env: { GATEWAY_PORT: '3001', GATEWAY_ID: 'gateway-1' } },
  { name: 'gateway-2', entry: 'services/gateway/src/main.ts', env: { GATEWAY_PORT: '3002', GATEWAY_ID: 'gateway-2' } },
  { name: 'worker', entry: 'services/worker/src/main.ts', env: { WORKER_PORT: env.WORKER_PORT || '3003' } },
];

const STOP_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;

const pnpm = await ensurePnpm();
await install(pnpm);
const { databaseUrl, redisUrl } = await ensureServices();
const baseEnv = { ...env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ...(devMailbox ? { SMTP_URL: `smtp://127.0.0.1:${MAILBOX_SMTP_PORT}` } : {}) };

const migrated = await run(pnpm[0], [...pnpm.slice(1), 'run', 'migrate'], { env: baseEnv });
if (migrated !== 0) {
  console.error(`migrate failed (exit ${migrated})`);
  process.exit(migrated);
}

const services = SERVICES;
const width = Math.max(...services.map((service) => service.name.length), 8);
const children = new Map();
let stopping = false;
let exitCode = 0;

function prefixed(name, stream, target) {
  const label = `${name.padEnd(width)} | `;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => target.write(`${label}${line}\n`));
}

for (const service of services) {
  // Each child gets its own process group, so a terminal Ctrl-C reaches it once, through us.
  const child = spawn(process.execPath, ['--import', 'tsx', service.entry], {
    cwd: ROOT,
    env: { ...baseEnv, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  children.set(service.name, child);
  prefixed(service.name, child.stdout, process.stdout);
  prefixed(service.name, child.stderr, process.stderr);
  child.on('error', (error) => console.error(`${service.name.padEnd(width)} | could not start: ${error.message}`));
  child.on('close', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(`${service.name} exited unexpectedly (${signal ?? `exit ${code}`}); stopping the others`);
      exitCode = code || 1;
      stop('SIGTERM');
    } else if (code !== 0 && signal === null && exitCode === 0) {
      exitCode = code;
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

function signalChild(child, signal) {
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

function stop(signal) {
  if (stopping) {
    // A second Ctrl-C: no more waiting.
    for (const child of children.values()) killGroup(child);
    return;
  }
  stopping = true;
  for (const child of children.values()) signalChild(child, signal);
  setTimeout(() => {
    for (const [name, child] of children) {
      console.error(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
      killGroup(child);
    }
  }, STOP_TIMEOUT_MS).unref();
}

function killGroup(child) {
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => stop(signal === 'SIGHUP' ? 'SIGTERM' : signal));
}
// If this process dies some other way, take the children with it.
process.on('exit', () => {
  for (const child of children.values()) killGroup(child);
});

async function waitReady(url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

if (services.some((service) => service.name === 'api')) {
  const api = `http://127.0.0.1:${API_PORT}`;
  if (await waitReady(`${api}/readyz`)) {
    const gateways = services.filter((service) => service.env.GATEWAY_PORT).map((service) => `ws://127.0.0.1:${service.env.GATEWAY_PORT}/v1/ws`);
    const lines = [
      '',
      `Tidings is running (${services.map((service) => service.name).join(', ')}). Ctrl-C stops it.`,
      `  API          ${api}`,
      `  API docs     ${api}/docs`,
      `  metrics      ${api}/metrics`,
      ...(gateways.length > 0 ? [`  WebSocket    ${gateways.join('  ')}`] : []),
      devMailbox ? `  dev mailbox  http://127.0.0.1:${MAILBOX_HTTP_PORT}  (every email sent; SMTP on ${MAILBOX_SMTP_PORT})` : `  email        via ${env.SMTP_URL.replace(/\/\/[^@/]*@/, '//***@')}`,
      `  a token      pnpm -s run token --sub alice --role admin`,
      '',
    ];
    console.log(lines.join('\n'));
  } else if (!stopping) {
    console.error(`api: ${api}/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s; see the api lines above`);
  }
}
