import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { AppError, errorCodes, type ErrorCode } from './errors.ts';
import { requestTarget } from './http-guard.ts';
import { redactUrl } from './logger.ts';

/** The error codes that mean "unavailable for now" (503): what a failed readiness check answers with. */
export type UnavailableCode = { [C in ErrorCode]: (typeof errorCodes)[C]['status'] extends 503 ? C : never }[ErrorCode];

/** One dependency `/readyz` asks about. */
export interface ReadinessCheck {
  /** Returns or resolves when the dependency answers; throws or rejects when it does not. */
  run: () => unknown;
  /** The code `/readyz` answers with when this is the first failing check, in the order given. */
  code: UnavailableCode;
  /** How long `run` may take before the check counts as failed. @defaultValue the options' `timeoutMs` */
  timeoutMs?: number;
}

export interface OpsOptions {
  /** What `/metrics` serves. */
  registry: Registry;
  /**
   * Named checks, all run at once on each `/readyz`; the first failing one in this order gives the
   * answer its code. @defaultValue none: ready while the process runs
   */
  checks?: Readonly<Record<string, ReadinessCheck>>;
  /** How long a check, or `beforeMetrics`, may take. @defaultValue 1000 */
  timeoutMs?: number;
  /**
   * Refreshes values read from elsewhere (queue depths) before each scrape. When it fails or takes
   * longer than `timeoutMs`, the scrape goes on with the values from before.
   */
  beforeMetrics?: () => Promise<unknown>;
}

/**
 * Answers `GET|HEAD /healthz`, `/readyz` and `/metrics`; returns whether it took the request. Any
 * other path or method is left to the caller, untouched.
 */
export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The paths an `OpsHandler` answers (request logs skip them: probes and scrapes come every few seconds). */
export const opsPaths: readonly string[] = ['/healthz', '/readyz', '/metrics'];

const DEFAULT_TIMEOUT_MS = 1_000;

/** Each check's outcome by name: `ok`, or `unavailable: <why>`. */
export type CheckResults = Record<string, string>;

/**
 * Settles with `run`'s outcome, or rejects after `ms`: a dependency that hangs (a partition, a pool
 * with every connection busy) never holds a probe. The timer does not keep the process alive.
 */
function withinTimeout(run: () => unknown, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    timer.unref();
    Promise.resolve()
      .then(run)
      .then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
  });
}

/**
 * Why a check failed, as anyone may read it (`/readyz` has no auth): credentials a driver put in
 * its message (a URL's user and password, a `token=`) are removed.
 */
function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `unavailable: ${redactUrl(message).replace(/\/\/[^/@\s]*@/g, '//[redacted]@')}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}

/**
 * The operator routes every service answers the same way:
 *
 * - `/healthz`: 200 `{ "status": "ok" }` while the process runs;
 * - `/readyz`: 200 `{ "status": "ok", "checks": { name: "ok" … } }` when every check passes within
 *   its timeout, else 503 in the error shape, `{ "error": { code, message, details: { checks } } }`,
 *   the message naming the failing checks;
 * - `/metrics`: the registry in Prometheus text format.
 *
 * Concurrent `/readyz` requests share one run of the checks, so a burst of probes costs the
 * dependencies one round. Nothing here logs: a failing dependency is logged by its client.
 */
export function createOpsHandler(options: OpsOptions): OpsHandler {
  const { registry, beforeMetrics } = options;
  const checks = Object.entries(options.checks ?? {});
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let inFlight: Promise<CheckResults> | undefined;

  async function runChecks(): Promise<CheckResults> {
    const outcomes = await Promise.all(checks.map(([, check]) => withinTimeout(check.run, check.timeoutMs ?? timeoutMs).then(() => 'ok', failureText)));
    return Object.fromEntries(checks.map(([name], i) => [name, outcomes[i]!]));
  }

  async function readiness(res: ServerResponse, head: boolean): Promise<void> {
    const results = await (inFlight ??= runChecks().finally(() => {
      inFlight = undefined;
    }));
    const failing = checks.filter(([name]) => results[name] !== 'ok');
    if (failing.length === 0) return sendJson(res, 200, { status: 'ok', checks: results }, head);
    const error = new AppError(failing[0]![1].code, `not ready: ${failing.map(([name]) => name).join(', ')}`, { checks: results });
    sendJson(res, error.status, error.toBody(), head);
  }

  async function metrics(res: ServerResponse, head: boolean): Promise<void> {
    if (head) {
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end();
      return;
    }
    if (beforeMetrics) await withinTimeout(beforeMetrics, timeoutMs).catch(() => undefined);
    let text: string;
    try {
      text = await registry.metrics();
    } catch {
      return sendJson(res, 500, new AppError('internal_error', 'the metrics could not be collected').toBody(), false);
    }
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text);
  }

  return (req, res) => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const head = method === 'HEAD';
    switch (requestTarget(req).pathname) {
      case '/healthz':
        sendJson(res, 200, { status: 'ok' }, head);
        return true;
      case '/readyz':
        readiness(res, head).catch(() => res.destroy());
        return true;
      case '/metrics':
        metrics(res, head).catch(() => res.destroy());
        return true;
      default:
        return false;
    }
  };
}

/** A postgres.js `sql` tag, as far as a check needs one. */
export type SqlTag = (template: TemplateStringsArray) => PromiseLike<unknown>;

/** The checks the services share, each with the code its failure answers with. */
export const readinessChecks = {
  /** Postgres answers `select 1`. */
  postgres: (sql: SqlTag): ReadinessCheck => ({ code: 'database_unavailable', run: () => sql`select 1` }),
  /** Redis answers `PING`. */
  redis: (redis: Pick<Redis, 'ping'>): ReadinessCheck => ({ code: 'redis_unavailable', run: () => redis.ping() }),
  /** The service is not shutting down (a draining gateway takes no new connections). */
  notDraining: (draining: () => boolean): ReadinessCheck => ({
    code: 'draining',
    run: () => {
      if (draining()) throw new Error('shutting down');
    },
  }),
};

/** An express app or router, as far as `mountOps` needs one. */
export interface RouteMounter {
  get(path: string, handler: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void): unknown;
}

/**
 * Mounts an `OpsHandler` on an express app or router, one GET route per path (express answers HEAD
 * with it), so the request-duration metric labels each by its path.
 */
export function mountOps(app: RouteMounter, handler: OpsHandler): void {
  for (const path of opsPaths) {
    app.get(path, (req, res, next) => {
      if (!handler(req, res)) next();
    });
  }
}
