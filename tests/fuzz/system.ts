import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { expect } from 'vitest';
import { createDatabase, type Database } from '@tidings/db';
import { createTestEnvironment, serviceEntries, spawnService, type SpawnedService, type TestEnvironment } from '@tidings/test-support';
import { clearRedisPrefix } from '@tidings/test-support/bench';

/**
 * The system under fuzz, each service its own process as `npm start` runs it, on port 0, against a
 * fresh database and Redis prefix: input that takes a service down shows up as a dead process
 * (`expectHealthy`), not as a dead test runner.
 */
export interface FuzzSystemOptions {
  /** Gateways to run, each with its own additions to the configuration. */
  gateways?: Record<string, string>[];
  worker?: boolean;
  mailbox?: boolean;
  /** More configuration for every service. */
  env?: Record<string, string>;
}

export interface Listener {
  service: SpawnedService;
  port: number;
  protocol: 'http' | 'smtp';
}

export class FuzzSystem {
  /** Log lines at level error or fatal (pino 50, 60), all of them: `SpawnedService.lines` keeps only the newest. */
  private readonly errors: string[] = [];

  private constructor(
    readonly env: TestEnvironment,
    readonly services: readonly SpawnedService[],
    /** Straight to Postgres: what the fingerprints are taken with. */
    readonly database: Database,
  ) {
    for (const service of services) {
      for (const stream of [service.child.stdout!, service.child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => {
          if (/"level":(50|60)\b/.test(line)) this.errors.push(`[${service.name}] ${line}`);
        });
      }
    }
  }

  static async start(options: FuzzSystemOptions = {}): Promise<FuzzSystem> {
    const env = await createTestEnvironment({
      JWT_SECRET: randomBytes(24).toString('hex'),
      UNSUBSCRIBE_SECRET: randomBytes(24).toString('hex'),
      EMAIL_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
      // The fuzzers send thousands of requests a minute with a handful of tokens; a limit would
      // turn most cases into 429s and hide the routes behind it.
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_SERVICE_PER_MINUTE: '1000000',
      ...options.env,
    });
    // `spawnService` waits for the `… listening` line, which is logged at info.
    const values = { ...env.env, LOG_LEVEL: 'info' };
    const launches: Promise<SpawnedService>[] = [spawnService('api', serviceEntries.api, { ...values, API_PORT: '0' })];
    (options.gateways ?? []).forEach((own, i) => {
      launches.push(spawnService(`gateway-${i + 1}`, serviceEntries.gateway, { ...values, GATEWAY_PORT: '0', GATEWAY_ID: `fuzz-gateway-${i + 1}`, ...own }));
    });
    if (options.mailbox) launches.push(spawnService('mailbox', serviceEntries.mailbox, { ...values, MAILBOX_SMTP_PORT: '0', MAILBOX_HTTP_PORT: '0' }));
    // Without SMTP_URL the worker leaves emails queued: the fuzzers look at its ports, not its mail.
    if (options.worker) launches.push(spawnService('worker', serviceEntries.worker, { ...values, WORKER_PORT: '0' }));
    let services: SpawnedService[];
    try {
      services = await Promise.all(launches);
    } catch (error) {
      await env.dispose().catch(() => {});
      throw error;
    }
    return new FuzzSystem(env, services, createDatabase(env.env.DATABASE_URL!, { max: 8, applicationName: 'fuzz-truth' }));
  }

  service(name: string): SpawnedService {
    const found = this.services.find((service) => service.name === name);
    if (!found) throw new Error(`no service ${name} in this system`);
    return found;
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.service(name).port}`;
  }

  /** Every port of every process: each service's HTTP port, and the mailbox's SMTP port. */
  listeners(): Listener[] {
    return this.services.flatMap((service): Listener[] => {
      const http: Listener = { service, port: service.port, protocol: 'http' };
      if (service.name !== 'mailbox') return [http];
      return [http, { service, port: Number(new URL(String(service.listening.smtp)).port), protocol: 'smtp' }];
    });
  }

  /**
   * Every process is alive and ready (`/readyz`; the mailbox has no dependencies to check),
   * and none logged an error: a fault caught and answered politely is still a fault.
   */
  async expectHealthy(): Promise<void> {
    expect(this.errorLines().slice(0, 10)).toEqual([]);
    for (const service of this.services) {
      expect(service.alive(), `${service.name} died:\n${service.lines.slice(-20).join('\n')}`).toBe(true);
      const response = await fetch(`http://127.0.0.1:${service.port}/readyz`, { signal: AbortSignal.timeout(5_000) });
      expect(response.status, `${service.name} /readyz: ${await response.text()}`).toBe(200);
    }
  }

  /** True while every process runs. */
  alive(): boolean {
    return this.services.every((service) => service.alive());
  }

  /** What the processes logged at level error or fatal since they started listening. */
  errorLines(): readonly string[] {
    return this.errors;
  }

  async close(): Promise<void> {
    await Promise.all(this.services.map((service) => service.stop('SIGKILL')));
    await this.database.close();
    await clearRedisPrefix(this.env.env.REDIS_URL!, this.env.env.REDIS_PREFIX!).catch(() => 0);
    await this.env.dispose();
  }
}

/** The callers a fuzz case may pretend to be, from nobody to an admin. */
export const tokenKinds = ['none', 'garbage', 'expired', 'alg-none', 'wrong-key', 'user', 'service', 'admin'] as const;
export type TokenKind = (typeof tokenKinds)[number];

/** A token of `kind` for `sub`, signed (or not, or badly) as the kind says; undefined for `none`. */
export function tokenFor(env: TestEnvironment, kind: TokenKind, sub: string): string | undefined {
  const secret = env.config.JWT_SECRET!;
  switch (kind) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'not.a.jwt';
    case 'expired':
      return jwt.sign({ sub, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256' });
    case 'alg-none': {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub, roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 3_600 })}.`;
    }
    case 'wrong-key':
      return jwt.sign({ sub, roles: ['admin'] }, `${secret}-not-it`, { algorithm: 'HS256' });
    case 'user':
      return env.sign({ sub });
    case 'service':
      return env.sign({ sub, scope: 'notifications:publish' });
    case 'admin':
      return env.sign({ sub, roles: ['admin'] });
  }
}

const seedFromEnv = process.env.FUZZ_SEED;
if (seedFromEnv !== undefined && !/^-?\d+$/.test(seedFromEnv)) throw new Error(`FUZZ_SEED must be an integer, not ${JSON.stringify(seedFromEnv)}`);
/** One seed per run of a file: `FUZZ_SEED` replays it. */
export const fuzzSeed = seedFromEnv === undefined ? randomBytes(4).readInt32LE() : Number(seedFromEnv);

const runsScale = Number(process.env.FUZZ_RUNS_SCALE ?? '1');
if (!(runsScale > 0)) throw new Error(`FUZZ_RUNS_SCALE must be a positive number, not ${JSON.stringify(process.env.FUZZ_RUNS_SCALE)}`);

/** A run count, scaled by `FUZZ_RUNS_SCALE`. */
export const runs = (count: number) => Math.max(1, Math.round(count * runsScale));

/**
 * Runs a property with the run's seed, printed first and repeated in the failure, so any failure
 * replays with `FUZZ_SEED=<seed> npm test -- tests/fuzz`.
 */
export async function checkProperty<T>(name: string, property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  const replay = `FUZZ_SEED=${fuzzSeed} npm test -- tests/fuzz`;
  console.info(`fuzz: ${name}: seed ${fuzzSeed}, ${numRuns} runs (replay: ${replay})`);
  try {
    await fc.assert(property, { seed: fuzzSeed, numRuns });
  } catch (error) {
    throw new Error(`${name} failed with seed ${fuzzSeed} (replay: ${replay})\n${(error as Error).message}`, { cause: error });
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Text that breaks parsers, validators and Postgres: NUL, lone surrogates, control characters,
 * percent-escapes, unicode, huge runs. Short unless `huge` is set.
 */
export function nastyString(options: { huge?: boolean } = {}): fc.Arbitrary<string> {
  const pieces = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\r\n', '\u2028', '\ufeff', '%00', '%ZZ', '../', '<script>', '"', '\\', 'é', '\u{10ffff}'),
  );
  const nasty = fc.array(pieces, { maxLength: 5 }).map((parts) => parts.join(''));
  if (!options.huge) return nasty;
  return fc.oneof(
    { weight: 9, arbitrary: nasty },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'é', '\ud83d\ude00'), fc.integer({ min: 1_000, max: 200_000 })).map(([c, n]) => c.repeat(n)) },
  );
}
