import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isDatabaseUnavailable, isRedisUnavailable, type Logger } from '@tidings/server-kit';
import { principalOf } from './auth.ts';
import { prefersJson, sendPage } from './html.ts';

/**
 * Turns anything thrown into the JSON error shape, and logs what a client should not see. With
 * `page`, clients that prefer HTML get the error as a page instead (a route for people).
 */
export function errorHandler(logger: Logger, page?: (error: AppError) => string): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      logger.error({ err: error, method: req.method, path: req.path, user: principalOf(res)?.userId }, `request failed: ${appError.code}`);
    }
    if (res.headersSent) return;
    res.status(appError.status);
    if (page === undefined) {
      res.json(appError.toBody());
      return;
    }
    res.vary('Accept');
    if (prefersJson(req)) res.json(appError.toBody());
    else sendPage(res, page(appError));
  };
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const bodyError = error as { type?: string; status?: number } | null;
  if (bodyError?.type === 'entity.parse.failed') return new AppError('invalid_json', 'the request body is not valid JSON');
  if (bodyError?.type === 'entity.too.large') return new AppError('payload_too_large', 'the request body is larger than the limit');
  if (bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'the request body encoding is not supported');
  }
  // Anything else express or its body readers refused as the client's fault (a gzip body that is
  // not gzip, a URL escape that is not UTF-8): a 4xx, never a 500.
  const status = bodyError?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', `the request could not be read: ${(error as Error).message ?? 'malformed'}`);
  }
  if (isDatabaseUnavailable(error)) return new AppError('database_unavailable', 'the database is unavailable; retry shortly');
  if (isRedisUnavailable(error)) return new AppError('redis_unavailable', 'redis is unavailable; retry shortly');
  return new AppError('internal_error', 'an unexpected error occurred');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
};
