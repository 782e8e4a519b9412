// `npm start`: pnpm 12 → install → build what changed → Postgres and Redis → migrate → every
// service from its built JavaScript, one terminal.
import { ROOT, build, buildWeb, ensurePnpm, ensureServices, install, run } from './lib/bootstrap.mjs';
import { Supervisor } from './lib/supervisor.mjs';

const env = process.env;
const API_PORT = env.API_PORT || '3000';
const MAILBOX_SMTP_PORT = env.MAILBOX_SMTP_PORT || '1025';
const MAILBOX_HTTP_PORT = env.MAILBOX_HTTP_PORT || '8025';
/** Without an SMTP server of the user's own, emails go to the dev mailbox, which keeps them for reading. */
const devMailbox = !env.SMTP_URL;

/** Every service `npm start` runs. */
const SERVICES = [
  ...(devMailbox ? [{ name: 'mailbox', entry: 'services/mailbox/dist/main.js', env: { MAILBOX_SMTP_PORT, MAILBOX_HTTP_PORT } }] : []),
  { name: 'api', entry: 'services/api/dist/main.js', env: { API_PORT } },
  { name: 'gateway-1', entry: 'services/gateway/dist/main.js', env: { GATEWAY_PORT: '3001', GATEWAY_ID: 'gateway-1' } },
  { name: 'gateway-2', entry: 'services/gateway/dist/main.js', env: { GATEWAY_PORT: '3002', GATEWAY_ID: 'gateway-2' } },
  { name: 'worker', entry: 'services/worker/dist/main.js', env: { WORKER_PORT: env.WORKER_PORT || '3003' } },
];

const READY_TIMEOUT_MS = 60_000;

const pnpm = await ensurePnpm();
await install(pnpm);
await build(pnpm);
await buildWeb(pnpm);
const { databaseUrl, redisUrl } = await ensureServices();
const baseEnv = { ...env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ...(devMailbox ? { SMTP_URL: `smtp://127.0.0.1:${MAILBOX_SMTP_PORT}` } : {}) };

const migrated = await run(pnpm[0], [...pnpm.slice(1), 'run', 'migrate'], { env: baseEnv });
if (migrated !== 0) {
  console.error(`migrate failed (exit ${migrated})`);
  process.exit(migrated);
}

const services = SERVICES;
const width = Math.max(...services.map((service) => service.name.length), 8);
const label = (name) => `${name.padEnd(width)} | `;

// A service that dies is restarted with backoff; the others keep serving. Only Ctrl-C (or SIGTERM)
// stops them all.
const supervisor = new Supervisor({
  onLine: (name, line, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(`${label(name)}${line}\n`),
  onEvent: (line) => console.error(`\n${line}\n`),
});
for (const service of services) {
  supervisor.add({
    name: service.name,
    command: process.execPath,
    args: ['--enable-source-maps', service.entry],
    cwd: ROOT,
    env: { ...baseEnv, ...service.env },
  });
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) console.error('stopping at once');
    stopping = true;
    void supervisor.stop(signal === 'SIGHUP' ? 'SIGTERM' : signal).then(() => process.exit(0));
  });
}
// If this process dies some other way, take the children with it.
process.on('exit', () => supervisor.killAll());

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
      `  demo app     ${api.replace('127.0.0.1', 'localhost')}/demo?user=alice  (open this: the bell is the notification center)`,
      `  console      ${api.replace('127.0.0.1', 'localhost')}/console  (admins: "Sign in for development")`,
      `  API          ${api}`,
      `  API docs     ${api}/docs`,
      `  metrics      ${api}/metrics`,
      ...(gateways.length > 0 ? [`  WebSocket    ${gateways.join('  ')}`] : []),
      devMailbox
        ? `  dev mailbox  http://127.0.0.1:${MAILBOX_HTTP_PORT}  (every email sent; SMTP on ${MAILBOX_SMTP_PORT})`
        : `  email        via ${env.SMTP_URL.replace(/\/\/[^@/]*@/, '//***@')}`,
      `  a token      pnpm -s run token --sub alice --role admin`,
      '',
    ];
    console.log(lines.join('\n'));
  } else if (!stopping) {
    console.error(`api: ${api}/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s; see the api lines above`);
  }
}
