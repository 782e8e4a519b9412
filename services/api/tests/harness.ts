import { once } from 'node:events';
import { createLogger } from '@tidings/server-kit';
import { createTestEnvironment, type TestEnvironment } from '@tidings/test-support';
import { startApi, type RunningApi } from '../src/main.ts';

export interface ApiHarness extends TestEnvironment {
  api: RunningApi;
  /** Tokens for the usual callers. */
  service: string;
  admin: string;
  userToken(userId: string): string;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** Starts the API on port 0 against a fresh database and Redis prefix. */
export async function startHarness(overrides: Record<string, string> = {}, options: { databasePort?: number } = {}): Promise<ApiHarness> {
  const env = await createTestEnvironment(overrides, options);
  const api = await startApi(env.config, createLogger('api', process.env.TEST_LOG_LEVEL ?? 'silent'), 0);
  // Until its Redis client is connected the API rate-limits in memory (a separate count); tests of the
  // limits expect the shared budget from the first request.
  if (api.deps.redis.status !== 'ready') await once(api.deps.redis, 'ready');
  const service = env.sign({ sub: 'billing-service', scope: 'notifications:publish' });
  const admin = env.sign({ sub: 'root', roles: ['admin'] });
  return {
    ...env,
    api,
    service,
    admin,
    userToken: (userId) => env.sign({ sub: userId }),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      } else if (options.raw !== undefined) {
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${api.url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await api.close();
      await env.dispose();
    },
  };
}
