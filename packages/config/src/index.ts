import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** The HS256 secret used when none is configured. Production refuses to start with it. */
export const DEV_JWT_SECRET = 'tidings-dev-secret-do-not-use-in-production';
/** Signs unsubscribe links when none is configured. Production refuses to start with it. */
export const DEV_UNSUBSCRIBE_SECRET = 'tidings-dev-unsubscribe-secret-not-for-production';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
/** A cron pattern as BullMQ's job schedulers read it (cron-parser, the library they use). */
const cron = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((pattern, ctx) => {
      try {
        CronExpressionParser.parse(pattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not a cron pattern (${(error as Error).message})` });
      }
    });
/** PEM keys arrive on one line in many environments: `\n` escapes are turned back into newlines. */
const pem = optionalText.transform((value) => value?.replace(/\\n/g, '\n'));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/tidings'),
    DB_POOL_SIZE: positiveInt(20),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]*$/)
      .default('tidings:'),
    JWT_SECRET: optionalText,
    JWT_PUBLIC_KEY: pem,
    JWT_PRIVATE_KEY: pem,
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    SMTP_URL: optionalText,
    /** The sender; unset, `"<PRODUCT_NAME>" <notifications@localhost>`. */
    EMAIL_FROM: optionalText,
    PUBLIC_URL: z.url().default('http://localhost:3000'),
    API_PORT: port(3000),
    GATEWAY_PORT: port(3001),
    WORKER_PORT: port(3003),
    /** The dev mailbox (`services/mailbox`): its SMTP and HTTP ports, where both listen, and how many messages it keeps. */
    MAILBOX_SMTP_PORT: port(1025),
    MAILBOX_HTTP_PORT: port(8025),
    MAILBOX_HOST: z.string().min(1).default('127.0.0.1'),
    MAILBOX_LIMIT: positiveInt(500),
    OFFLINE_QUEUE_SIZE: positiveInt(100),
    HEARTBEAT_MS: z.coerce.number().int().min(1_000).default(30_000),
    MAX_CONNECTIONS_PER_USER: positiveInt(20),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    /**
     * express's `trust proxy`: which proxies may set X-Forwarded-For, so per-address limits see the
     * client rather than the load balancer. `true`, a hop count, or addresses/subnets (`loopback, 10.0.0.0/8`).
     */
    TRUST_PROXY: z
      .string()
      .default('')
      .transform((value): boolean | number | string => {
        const trimmed = value.trim();
        if (trimmed === '' || trimmed === 'false') return false;
        if (trimmed === 'true') return true;
        return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
      }),
    RATE_LIMIT_USER_PER_MINUTE: positiveInt(600),
    RATE_LIMIT_SERVICE_PER_MINUTE: positiveInt(120_000),
    BROADCAST_THRESHOLD: positiveInt(100),
    /** Names this gateway in presence; defaults to host, port and a random suffix. */
    GATEWAY_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    /**
     * Gateway base URLs as browsers reach them, for the pages the API serves (the demo): each page
     * load picks one, as a load balancer would.
     */
    GATEWAY_PUBLIC_URLS: z
      .string()
      .default('http://localhost:3001,http://localhost:3002')
      .transform((value) =>
        value
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^(https?|wss?)$/ })).min(1, 'give at least one gateway URL')),
    /** Browser origins allowed to open a WebSocket or SSE stream; empty allows any (the token is the guard). */
    GATEWAY_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    WS_MAX_PAYLOAD_BYTES: positiveInt(16_384),
    WS_MAX_BUFFERED_BYTES: positiveInt(1_048_576),
    WS_MESSAGES_PER_10S: positiveInt(100),
    /** WebSocket and SSE handshakes one client address may make per minute on one gateway (429 above). */
    GATEWAY_HANDSHAKES_PER_IP_PER_MINUTE: positiveInt(600),
    /** Unpublished notifications older than this are republished by the outbox relay. */
    OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
    /** Signs the links in emails' unsubscribe headers and footers; they never expire, so keep it stable. */
    UNSUBSCRIBE_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    /** Also offered in List-Unsubscribe, e.g. unsubscribe@example.com. */
    UNSUBSCRIBE_MAILTO: optionalText.pipe(z.email().optional()),
    /** HMAC key of POST /v1/webhooks/email-events; the route answers 503 while it is unset. */
    EMAIL_WEBHOOK_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    PRODUCT_NAME: z.string().min(1).max(100).default('Tidings'),
    BRAND_LOGO_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    BRAND_COLOR: z
      .string()
      .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be #rgb or #rrggbb')
      .default('#4f46e5'),
    FOOTER_ADDRESS: z.string().min(1).max(300).default('You receive this email because you have an account with us.'),
    /** Emails one worker sends at the same time. */
    EMAIL_CONCURRENCY: positiveInt(16),
    /** Tries per email for temporary SMTP failures (4xx, connection refused), backing off exponentially with jitter. */
    EMAIL_MAX_ATTEMPTS: positiveInt(8),
    EMAIL_RETRY_BASE_MS: positiveInt(5_000),
    /** Cron patterns (5 fields) of the digests, evaluated in DIGEST_TZ. */
    DIGEST_DAILY_CRON: cron('0 8 * * *'),
    DIGEST_WEEKLY_CRON: cron('0 8 * * 1'),
    DIGEST_TZ: z.string().min(1).default('UTC'),
  })
  .superRefine((env, ctx) => {
    if (env.JWT_SECRET !== undefined && env.JWT_PUBLIC_KEY !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET or JWT_PUBLIC_KEY, not both' });
    }
    if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be at least 32 characters' });
    }
    if (env.NODE_ENV === 'production' && env.JWT_PUBLIC_KEY === undefined && (env.JWT_SECRET ?? DEV_JWT_SECRET) === DEV_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'production needs its own JWT_SECRET (or JWT_PUBLIC_KEY); the development secret is refused',
      });
    }
    if (env.NODE_ENV === 'production' && env.UNSUBSCRIBE_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['UNSUBSCRIBE_SECRET'], message: 'production needs its own secret for unsubscribe links' });
    }
    if (!isTimeZone(env.DIGEST_TZ)) {
      ctx.addIssue({ code: 'custom', path: ['DIGEST_TZ'], message: `unknown time zone "${env.DIGEST_TZ}"` });
    }
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type Env = z.infer<typeof envSchema>;

export type Config = Readonly<
  Omit<Env, 'JWT_SECRET' | 'UNSUBSCRIBE_SECRET' | 'EMAIL_FROM'> & {
    EMAIL_FROM: string;
    /** The HS256 secret in force: the configured one or, outside production, the dev secret. */
    JWT_SECRET: string | undefined;
    /** The configured secret or, outside production, the dev one. */
    UNSUBSCRIBE_SECRET: string;
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at start. Every bad value gives one line naming the variable;
 * the result is frozen so no part of a service can change it later.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const parsed = result.data;
  const jwtSecret = parsed.JWT_PUBLIC_KEY === undefined ? (parsed.JWT_SECRET ?? DEV_JWT_SECRET) : undefined;
  return Object.freeze({
    ...parsed,
    JWT_SECRET: jwtSecret,
    UNSUBSCRIBE_SECRET: parsed.UNSUBSCRIBE_SECRET ?? DEV_UNSUBSCRIBE_SECRET,
    EMAIL_FROM: parsed.EMAIL_FROM ?? `"${parsed.PRODUCT_NAME.replace(/["\\\r\n]/g, '')}" <notifications@localhost>`,
    CORS_ORIGINS: Object.freeze([...parsed.CORS_ORIGINS]) as string[],
    GATEWAY_ORIGINS: Object.freeze([...parsed.GATEWAY_ORIGINS]) as string[],
    GATEWAY_PUBLIC_URLS: Object.freeze([...parsed.GATEWAY_PUBLIC_URLS]) as string[],
  });
}

/** How every email looks (`Branding` of the email package): one mapping for the worker that sends and the API that previews. */
export function emailBranding(config: Config) {
  return {
    productName: config.PRODUCT_NAME,
    logoUrl: config.BRAND_LOGO_URL,
    color: config.BRAND_COLOR,
    footerAddress: config.FOOTER_ADDRESS,
    publicUrl: config.PUBLIC_URL,
  };
}
