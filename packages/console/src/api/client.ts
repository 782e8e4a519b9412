/**
 * The console's only way to the API: JSON over `fetch` on the same origin, `Authorization: Bearer`,
 * errors as `ApiError` (the API's `{ error: { code, message, details } }`, or status 0 / `network`).
 */

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: FieldProblem[];

  constructor(status: number, code: string, message: string, details?: FieldProblem[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export type QueryValue = string | number | boolean | undefined | null;

export interface ApiClient {
  /** `undefined`, `null` and `''` query values are left out. */
  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T>;
  /** A 204 answers `undefined`. */
  post<T>(path: string, body?: unknown, options?: { idempotencyKey?: string }): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

export interface ApiClientOptions {
  /** The bearer token; `undefined` sends no Authorization header. */
  token: string | undefined;
  /** Called on any 401 (after which the promise still rejects with the ApiError). */
  onUnauthorized?: () => void;
  /** Defaults to the page's origin. */
  baseUrl?: string;
}

/** `path?a=1&b=x` with empty values left out. */
export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDetails(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const details: FieldProblem[] = [];
  for (const item of value) {
    if (isRecord(item) && typeof item.message === 'string') {
      details.push({ path: typeof item.path === 'string' ? item.path : '', message: item.message });
    }
  }
  return details;
}

/** The ApiError an unsuccessful response stands for. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    payload = undefined;
  }
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  const message = typeof error?.message === 'string' ? error.message : response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, code, message, toDetails(error?.details));
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? '';

  async function request<T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
    const allHeaders = init.headers as Record<string, string>;
    if (options.token !== undefined) allHeaders.authorization = `Bearer ${options.token}`;
    if (body !== undefined) {
      allHeaders['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(baseUrl + path, init);
    } catch (cause) {
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'Network error');
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (response.status === 401) options.onUnauthorized?.();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  return {
    get: (path, query) => request('GET', withQuery(path, query), undefined),
    post: (path, body, opts) => request('POST', path, body, opts?.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
    put: (path, body) => request('PUT', path, body),
    delete: (path) => request<void>('DELETE', path, undefined),
  };
}
