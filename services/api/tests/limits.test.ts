import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_USER_PER_MINUTE: '5', RATE_LIMIT_SERVICE_PER_MINUTE: '8', CORS_ORIGINS: 'https://app.example.com' });
});
afterAll(async () => {
  await h?.close();
});

describe('rate limits', () => {
  it('limits each user token separately and says when to retry', async () => {
    const [noisy, quiet] = [h.userToken(uniqueId('noisy')), h.userToken(uniqueId('quiet'))];
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.request('GET', '/v1/notifications/unread-count', { token: noisy })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await h.request('GET', '/v1/notifications', { token: noisy });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.request('GET', '/v1/notifications', { token: quiet })).status).toBe(200);
  });

  it('gives service tokens their own, larger budget', async () => {
    const token = h.sign({ sub: uniqueId('svc'), scope: 'notifications:publish' });
    const statuses = [];
    for (let i = 0; i < 9; i++) statuses.push((await h.request('GET', '/v1/notification-types/x', { token })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${h.api.url}/v1/notifications`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
