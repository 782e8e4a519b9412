import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, guardHttpServer, httpServerOptions, requestTarget, sendError, type Logger } from '@tidings/server-kit';
import { createOpsRoutes, type OpsState } from './ops-routes.ts';

export interface HttpServerDeps {
  logger: Logger;
  ops: OpsState;
  /** `GET /v1/sse`. */
  serveSse(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void;
  /** WebSocket upgrades (`WS /v1/ws`). */
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * The gateway's one HTTP server: `GET /v1/sse`, the operator routes, a JSON 404 for anything else,
 * and WebSocket upgrades. Not listening yet: the caller picks the port.
 */
export function createHttpServer(deps: HttpServerDeps): Server {
  const serveOps = createOpsRoutes(deps.ops);
  const server = createServer(httpServerOptions, (req, res) => {
    const { pathname, query } = requestTarget(req);
    if (req.method === 'GET' && pathname === '/v1/sse') return deps.serveSse(req, res, query);
    if (serveOps(req, res)) return;
    sendError(res, new AppError('not_found', `no route for ${req.method} ${pathname}`));
  });
  guardHttpServer(server, deps.logger);
  server.on('upgrade', (req, socket, head) => deps.onUpgrade(req, socket, head));
  return server;
}
