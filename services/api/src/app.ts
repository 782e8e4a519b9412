import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type IRoute, type Request, type RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import type { Principal } from '@tidings/auth';
import { limits } from '@tidings/protocol';
import { AppError, createOpsHandler, metricFactories, mountOps, opsPaths, readinessChecks, redactUrl, sendError } from '@tidings/server-kit';
import type { ApiDeps } from './deps.ts';
import { authorize, principalOf } from './http/auth.ts';
import { errorHandler, notFoundHandler, toAppError } from './http/errors.ts';
import { sendPage } from './http/html.ts';
import { rateLimit } from './http/rate-limit.ts';
import type { BodyFormat, RouteSpec } from './http/route.ts';
import { pathParamGuard } from './http/path-params.ts';
import { assertText, parseJsonBytes, parseOrThrow } from './http/validate.ts';
import { mountConsole } from './http/console-assets.ts';
import { mountWebAssets } from './http/web-assets.ts';
import { openApiDocument } from './openapi.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminDirectoryRoutes } from './routes/admin-directory.ts';
import { adminEmailRoutes } from './routes/admin-emails.ts';
import { adminNotificationRoutes } from './routes/admin-notifications.ts';
import { adminStatsRoutes } from './routes/admin-stats.ts';
import { connectTicketRoutes } from './routes/connect-tickets.ts';
import { devTokenRoutes } from './routes/dev-tokens.ts';
import { directoryRoutes } from './routes/directory.ts';
import { emailEventRoutes } from './routes/email-events.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { preferenceRoutes } from './routes/preferences.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';

export function apiRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    ...notificationRoutes(deps),
    ...preferenceRoutes(deps),
    ...connectTicketRoutes(deps),
    ...directoryRoutes(deps),
    ...adminRoutes(deps),
    ...adminNotificationRoutes(deps),
    ...adminDirectoryRoutes(deps),
    ...adminEmailRoutes(deps),
    ...adminStatsRoutes(deps),
    ...unsubscribeRoutes(deps),
    ...emailEventRoutes(deps),
    ...devTokenRoutes(deps),
  ];
}

/**
 * Routes a request the route does not admit on to the next one (`next('route')`), as if this route
 * did not exist: also for the request metric, which would otherwise be labelled with this route.
 */
function admitOnly(admits: (req: Request) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (admits(req)) return next();
    req.route = undefined;
    next('route');
  };
}

/** Each route reads its body in its own format; all share the API's size limit. */
const bodyReaders: Record<BodyFormat, RequestHandler[]> = {
  json: [express.json({ limit: limits.requestBodyBytes, strict: true })],
  form: [express.urlencoded({ extended: false, limit: limits.requestBodyBytes }), express.json({ limit: limits.requestBodyBytes, strict: true })],
  'raw-json': [express.raw({ type: () => true, limit: limits.requestBodyBytes })],
};

function handlerFor(spec: RouteSpec): RequestHandler {
  return async (req, res) => {
    assertText(req.params, 'path');
    assertText(req.query, 'query');
    const input: unknown = spec.bodyFormat === 'raw-json' ? parseJsonBytes(req.body) : (req.body ?? {});
    assertText(input, 'body');
    const params = spec.params ? parseOrThrow(spec.params, req.params, 'path') : undefined;
    const query = spec.query ? parseOrThrow(spec.query, req.query, 'query') : undefined;
    const body = spec.body ? parseOrThrow(spec.body, input, 'body') : undefined;
    // Undefined only on a public route, whose handler does not read it.
    const principal = principalOf(res) as Principal;
    const result = await spec.handler({ principal, params, query, body, req, res });
    res.status(result.status).set(result.headers ?? {});
    if (result.html !== undefined) sendPage(res, result.html);
    else if (result.body === undefined) res.end();
    else res.json(result.body);
  };
}

/** Builds the API's express app from explicit dependencies (no listening, no globals). */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.config.TRUST_PROXY);

  const requestDuration = metricFactories.httpRequestDuration(deps.registry);
  app.use((req, res, next) => {
    const end = requestDuration.startTimer();
    res.on('finish', () => {
      const path = (req.route as IRoute | undefined)?.path;
      end({ method: req.method, route: path === undefined ? 'unmatched' : `${req.baseUrl}${path}`, status: String(res.statusCode) });
    });
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => opsPaths.includes(req.url ?? '') },
      customProps: (_req, res) => ({ user: principalOf(res as express.Response)?.userId }),
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      quietReqLogger: true,
      serializers: {
        req: (req: { url?: string }) => {
          if (typeof req.url === 'string') req.url = redactUrl(req.url);
          return req;
        },
      },
    }),
  );
  app.use(helmet());
  app.use(
    cors({
      origin: deps.config.CORS_ORIGINS.length === 0 ? false : [...deps.config.CORS_ORIGINS],
      exposedHeaders: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed'],
    }),
  );

  mountOps(
    app,
    createOpsHandler({
      registry: deps.registry,
      checks: { postgres: readinessChecks.postgres(deps.database.sql), redis: readinessChecks.redis(deps.redis) },
    }),
  );
  mountWebAssets(app, deps.config, deps.logger);
  mountConsole(app, deps.config, deps.logger);

  const limiter = rateLimit({
    redis: deps.redis,
    keyPrefix: deps.config.REDIS_PREFIX,
    userPerMinute: deps.config.RATE_LIMIT_USER_PER_MINUTE,
    servicePerMinute: deps.config.RATE_LIMIT_SERVICE_PER_MINUTE,
    logger: deps.logger,
  });
  const routes = apiRoutes(deps);
  app.use(pathParamGuard(routes.map((spec) => spec.path)));
  for (const spec of routes) {
    const guards = spec.access === 'public' ? [] : [authorize(deps.verify, spec.access), limiter];
    const pageErrors = spec.errorPage ? [errorHandler(deps.logger, spec.errorPage)] : [];
    const admission = spec.admits ? [admitOnly(spec.admits)] : [];
    app[spec.method](spec.path, ...admission, ...bodyReaders[spec.bodyFormat ?? 'json'], ...(spec.before ?? []), ...guards, handlerFor(spec), ...pageErrors);
  }

  const document = openApiDocument(routes, deps.config.PUBLIC_URL);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(document));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * The app as a server's request listener. What express hands to its own final handler (a request
 * its router cannot route at all, such as an absolute-form target without a path) is answered in
 * the JSON error shape instead of express's HTML page.
 */
export function requestListener(app: Express): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    app(req as express.Request, res as express.Response, (error?: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const appError = error === undefined ? new AppError('not_found', 'no route for this request target') : toAppError(error);
      sendError(res, appError);
    });
  };
}
