// Postgres and Redis started as the compose file's containers. Node built-ins only: these run
// before any install.
import { waitFor } from './probe.mjs';
import { capture, run, say } from './process.mjs';

/** Whether a Docker engine answers. */
export function dockerAnswers() {
  return capture('docker', ['info'], { timeout: 5_000 }).status === 0;
}

function composeCommand() {
  if (capture('docker', ['compose', 'version'], { timeout: 10_000 }).status === 0) return ['docker', 'compose'];
  if (capture('docker-compose', ['version'], { timeout: 10_000 }).status === 0) return ['docker-compose'];
  return undefined;
}

/** `docker compose up -d` for the missing ones, with the host ports taken from the URLs. */
export async function startWithCompose(missing) {
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
