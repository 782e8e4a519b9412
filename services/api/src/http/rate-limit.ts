import type { NextFunction, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '@tidings/auth';
import { AppError, type Logger } from '@tidings/server-kit';

export interface RateLimitOptions {
  redis: Redis;
  keyPrefix: string;
  userPerMinute: number;
  servicePerMinute: number;
  logger: Logger;
}

/**
 * A per-minute budget shared by every API instance through Redis. While Redis is down each instance
 * falls back to an in-memory limiter of the same size rather than refusing all traffic.
 */
class MinuteBudget {
  readonly #limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    keyPrefix: string,
    name: string,
    readonly limit: number,
    private readonly logger: Logger,
  ) {
    this.#limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}rl:${name}`,
      points: limit,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points: limit, duration: 60 }),
    });
  }

  /** Spends one point of `key`'s budget, sets the RateLimit headers, and passes on or answers 429. */
  async spend(key: string, res: Response, next: NextFunction, who: Record<string, string>): Promise<void> {
    const { limit, logger } = this;
    try {
      const state = await this.#limiter.consume(key);
      res.setHeader('RateLimit-Limit', String(limit));
      res.setHeader('RateLimit-Remaining', String(state.remainingPoints));
      res.setHeader('RateLimit-Reset', String(Math.ceil(state.msBeforeNext / 1000)));
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        logger.warn({ err: (rejection as Error).message }, 'rate limiter failed; request let through');
        return next();
      }
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(seconds));
      res.setHeader('RateLimit-Limit', String(limit));
      res.setHeader('RateLimit-Remaining', '0');
      res.setHeader('RateLimit-Reset', String(seconds));
      logger.info(who, 'rate limited');
      next(new AppError('rate_limited', `too many requests; retry in ${seconds} s`));
    }
  }
}

/** Per-token limits (by `sub`): one budget for user tokens, a larger one for publishers and admins. */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const users = new MinuteBudget(options.redis, options.keyPrefix, 'user', options.userPerMinute, options.logger);
  const services = new MinuteBudget(options.redis, options.keyPrefix, 'service', options.servicePerMinute, options.logger);

  return (_req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    if (!principal) return next();
    return (principal.canPublish ? services : users).spend(principal.userId, res, next, { user: principal.userId });
  };
}

export interface IpRateLimitOptions {
  redis: Redis;
  keyPrefix: string;
  /** Names the budget, so routes limited separately do not share one. */
  name: string;
  perMinute: number;
  logger: Logger;
}

/**
 * Per-client-address limits for routes without a token (the unsubscribe page). The address is
 * express's `req.ip`: behind a proxy every client shares the proxy's address unless express is told
 * to trust it.
 */
export function ipRateLimit(options: IpRateLimitOptions): RequestHandler {
  const budget = new MinuteBudget(options.redis, options.keyPrefix, `ip:${options.name}`, options.perMinute, options.logger);
  return (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    return budget.spend(ip, res, next, { ip, route: options.name });
  };
}
