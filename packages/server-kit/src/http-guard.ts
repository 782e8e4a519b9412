import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, type ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

/** The path and query of a request, as a server routes on them. */
export interface RequestTarget {
  /** Still percent-encoded, exactly as sent. */
  pathname: string;
  query: URLSearchParams;
}

/**
 * Splits a request target into path and query without `new URL`, which throws on targets a client
 * may send at will (`//[`, `http://[::`): routing never depends on parsing a URL. URLSearchParams
 * never throws (a bad escape stays as it is).
 */
export function requestTarget(req: Pick<IncomingMessage, 'url'>): RequestTarget {
  const raw = req.url ?? '/';
  const mark = raw.indexOf('?');
  const pathname = mark === -1 ? raw : raw.slice(0, mark);
  return { pathname: pathname === '' ? '/' : pathname, query: new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1)) };
}

/** The statuses Node's HTTP parser gives up with, as our error codes. */
function clientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADERS_TIMEOUT') return 'request_timeout';
  return 'bad_request';
}

const clientErrorMessages: Partial<Record<ErrorCode, string>> = {
  headers_too_large: 'the request line and headers are larger than the server accepts (16 KB)',
  request_timeout: 'the request did not arrive in time',
  bad_request: 'the request is not valid HTTP',
};

/** One HTTP/1.1 answer in the JSON error shape, written straight to a socket (no response object there). */
export function rawErrorResponse(error: AppError, headers: Record<string, string> = {}): string {
  const body = JSON.stringify(error.toBody());
  const reason = STATUS_CODES[error.status] ?? 'Error';
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${error.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`;
}

/**
 * An error in the JSON shape on a plain node:http response, with its length, so even an HTTP/1.0
 * client can tell where it ends (without one, Node can only end it with the connection).
 */
export function sendError(res: ServerResponse, error: AppError, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(error.toBody());
  res.writeHead(error.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/**
 * Whether an answer is the connection's last: the client did not ask to keep it alive, or the
 * answer has no length an HTTP/1.0 client can read (Node then ends it with the connection, and
 * marks it `_last`, a field it has kept for as long as it has had keep-alive).
 */
function endsConnection(res: ServerResponse): boolean {
  return !res.shouldKeepAlive || (res as ServerResponse & { _last?: boolean })._last === true;
}

/**
 * Options every HTTP server of Tidings is created with: a request without a Host header is served
 * like any other (no route depends on it), rather than answered by Node with a bare 400.
 */
export const httpServerOptions = { requireHostHeader: false } as const;

/**
 * Every HTTP server of Tidings takes this guard: a request Node's parser refuses (a broken request
 * line, a head over 16 KB, bytes that are not HTTP, a client too slow to send its head) is answered
 * in the JSON error shape and the socket closed, instead of Node's bare status line. The raw bytes
 * are not logged: they may hold a token.
 */
export function guardHttpServer<S extends Server>(server: S, logger: Logger): S {
  // Connections whose last answer ends only with the connection (HTTP/1.0 without keep-alive, or
  // `Connection: close`): anything written after it would be read as part of it.
  const answeredForGood = new WeakSet<Socket>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    res.once('finish', () => {
      if (endsConnection(res)) answeredForGood.add(socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // A broken body after such an answer (`GET /x HTTP/1.0` with `Transfer-Encoding: chunked`
    // and no valid chunk), whether or not that answer has left the socket yet: the connection just
    // closes. (Node keeps the response in hand on the socket until then; there is no public handle.)
    const inHand = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (answeredForGood.has(socket) || (inHand?.writableFinished && endsConnection(inHand))) {
      socket.end();
      return;
    }
    // Bytes after a request the connection closes with (`GET / HTTP/1.0\r\n\r\n\0`): its answer
    // may end only with the connection, so an error written now would be read as part of it.
    if (error.code === 'HPE_CLOSED_CONNECTION') {
      socket.end();
      return;
    }
    // Likewise while an earlier request on this connection is still being answered: that answer
    // is let finish, then the connection closes.
    if (inHand && !inHand.writableFinished) {
      inHand.once('finish', () => socket.end());
      inHand.once('close', () => socket.destroy());
      return;
    }
    const code = clientErrorCode(error);
    logger.info({ code: error.code, remote: socket.remoteAddress }, 'malformed http request refused');
    socket.end(rawErrorResponse(new AppError(code, clientErrorMessages[code] ?? error.message)));
  });
  return server;
}
