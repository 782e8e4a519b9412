import { clientErrorCodes, TidingsApiError, TidingsError } from './errors.ts';
import { anything, fits, object, string, type Guard } from './guards.ts';
import type { TokenSource } from './token.ts';
import { endpointUrl } from './transport.ts';

/** The API's error body (the protocol's `errorBodySchema`). */
const errorBody = object({ error: object({ code: string, message: string, details: anything }) });

export interface RestClientOptions {
  /** API base URL, with an optional path prefix. */
  apiUrl: string;
  fetch: typeof globalThis.fetch;
  tokens: TokenSource;
  /** Abort a request after this long, in ms. */
  timeoutMs: number;
}

export interface RestRequest {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/**
 * JSON over HTTP to the API with `Authorization: Bearer <jwt>`. Every failure becomes a
 * {@link TidingsError}: a {@link TidingsApiError} (status, code, message, details) for an error
 * status, `network_error` / `timeout` when there was no answer, `unexpected_response` when the
 * answer does not match the documented shape.
 */
export class RestClient {
  constructor(private readonly options: RestClientOptions) {}

  /** Sends a request and answers its JSON body, checked with `guard`. */
  async json<T>(method: string, path: string, guard: Guard<T>, init: RestRequest = {}): Promise<T> {
    const response = await this.send(method, path, init);
    const body = await readJson(response);
    const problem = guard(body, '');
    if (problem) throw new TidingsError(clientErrorCodes.unexpectedResponse, `${method} ${path}: the response does not match the API's shape: ${problem}`);
    return body as T;
  }

  /** Sends a request whose success answer has no body (204). */
  async empty(method: string, path: string, init: RestRequest = {}): Promise<void> {
    const response = await this.send(method, path, init);
    // Drain the body so the connection goes back to the pool.
    await response.arrayBuffer().catch(() => undefined);
  }

  private async send(method: string, path: string, init: RestRequest): Promise<Response> {
    const query = Object.fromEntries(Object.entries(init.query ?? {}).map(([key, value]) => [key, value === undefined ? undefined : String(value)]));
    const url = endpointUrl(this.options.apiUrl, path, 'http', query);
    let response = await this.attempt(method, url, init.body, await this.options.tokens.current());
    // A cached token can be revoked or rotated server-side before its exp: one retry with a fresh one.
    if (response.status === 401) {
      await response.arrayBuffer().catch(() => undefined);
      response = await this.attempt(method, url, init.body, await this.options.tokens.fresh());
    }
    if (!response.ok) throw await apiError(response);
    return response;
  }

  private async attempt(method: string, url: string, body: unknown, token: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.options.fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') {
        throw new TidingsError(clientErrorCodes.timeout, `${method} ${url}: no answer in ${this.options.timeoutMs} ms`, undefined, { cause: error });
      }
      throw new TidingsError(clientErrorCodes.networkError, `${method} ${url}: ${(error as Error)?.message ?? String(error)}`, undefined, { cause: error });
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new TidingsError(clientErrorCodes.unexpectedResponse, `HTTP ${response.status}: the body is not JSON`);
  }
}

/** The server's `{ error: { code, message, details? } }`, or a generic one for a proxy's HTML page. */
async function apiError(response: Response): Promise<TidingsApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (fits(errorBody, body)) {
    const { code, message, details } = body.error;
    return new TidingsApiError(response.status, code, message, details);
  }
  return new TidingsApiError(response.status, clientErrorCodes.unexpectedResponse, `HTTP ${response.status} ${response.statusText}`.trim());
}
