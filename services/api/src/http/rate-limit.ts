import type { RequestHandler } from 'express';
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
 * Per-token limits (by `sub`), shared by every API instance through Redis. While Redis is down each
 * instance falls back to an in-memory limiter of the same size rather than refusing all traffic.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const make = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.keyPrefix}rl:${name}`,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  const users = make('user', options.userPerMinute);
  const services = make('service', options.servicePerMinute);

  return async (_req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    if (!principal) return next();
    const limiter = principal.canPublish ? services : users;
    const limit = principal.canPublish ? options.servicePerMinute : options.userPerMinute;
    try {
      const state = await limiter.consume(principal.userId);
      res.setHeader('RateLimit-Limit', String(limit));
      res.setHeader('RateLimit-Remaining', String(state.remainingPoints));
      res.setHeader('RateLimit-Reset', String(Math.ceil(state.msBeforeNext / 1000)));
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        options.logger.warn({ err: (rejection as Error).message }, 'rate limiter failed; request let through');
        return next();
      }
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(seconds));
      res.setHeader('RateLimit-Limit', String(limit));
      res.setHeader('RateLimit-Remaining', '0');
      res.setHeader('RateLimit-Reset', String(seconds));
      options.logger.info({ user: principal.userId }, 'rate limited');
      next(new AppError('rate_limited', `too many requests; retry in ${seconds} s`));
    }
  };
}
