import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, sendError, type Logger } from '@tidings/server-kit';
import type { Admission } from './admission.ts';
import { Connection } from './connection.ts';
import type { ConnectionLifecycle } from './connection-lifecycle.ts';
import { SseSink } from './sinks.ts';

export interface SseEndpointDeps {
  maxBufferedBytes: number;
  admission: Admission;
  lifecycle: ConnectionLifecycle;
  /** Called on its own, by the sink of a connection that fell behind. */
  onSlowConsumer: () => void;
  logger: Logger;
}

/**
 * `GET /v1/sse`: the same frames as the WebSocket, as Server-Sent Events, for clients that cannot
 * hold a WebSocket. Refusals are HTTP errors in the JSON shape (EventSource does not retry a
 * non-200 answer); once the stream is open, `Last-Event-ID` or `since` resumes like on the socket.
 */
export class SseEndpoint {
  constructor(private readonly deps: SseEndpointDeps) {}

  /** The route handler. Never throws: a setup that fails answers 500, or drops a stream already open. */
  readonly serve = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void => {
    this.open(req, res, query).catch((error: unknown) => {
      this.deps.logger.error({ err: (error as Error).message }, 'sse setup failed');
      if (!res.headersSent) sendError(res, new AppError('internal_error', 'the stream could not be set up'));
      else res.destroy();
    });
  };

  private async open(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const { admission, logger } = this.deps;
    const refusal = await admission.rateLimited(req);
    if (refusal) return sendError(res, refusal.error, refusal.headers);
    const auth = await admission.authenticate(req, query);
    if (res.destroyed) return;
    if (!auth.ok) return sendError(res, auth.error);
    const userId = auth.principal.userId;
    if (admission.atConnectionCap(userId)) {
      logger.info({ user: userId }, 'sse refused: too many connections');
      return sendError(res, admission.tooManyConnections, admission.connectionCapRetryAfter);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {}),
    });
    res.write('retry: 2000\n\n');
    const connection = new Connection(randomUUID(), userId, new SseSink(res, this.deps.maxBufferedBytes, this.deps.onSlowConsumer), new Date().toISOString());
    connection.expiresAt = auth.principal.expiresAt;
    res.on('close', () => this.deps.lifecycle.closed(connection));
    this.deps.lifecycle.begin(connection, auth.since);
  }
}
