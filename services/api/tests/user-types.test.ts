import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeDefaults } from '@tidings/protocol';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function notify(user: string, type: string, extra: Record<string, unknown> = {}) {
  const response = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: type, ...extra } });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body.notification_ids[0] as string;
}

const unconfigured = (key: string) => ({ key, description: null, ...typeDefaults });

describe('GET /v1/notification-types', () => {
  it('lists every configured type and every type the user received without one, by key', async () => {
    await h.request('PUT', '/v1/notification-types/billing', { token: h.service, body: { description: 'Invoices', critical: true, default_email: true } });
    await h.request('PUT', '/v1/notification-types/zeta', { token: h.service, body: { default_in_app: false } });
    const user = uniqueId('types');
    await notify(user, 'comment.created');
    await notify(user, 'billing');
    const deleted = await notify(user, 'alpha');
    await notify(user, 'comment.created');
    await h.request('DELETE', `/v1/notifications/${deleted}`, { token: h.userToken(user) });
    // Held for later: not received yet.
    await notify(user, 'later', { send_at: new Date(Date.now() + 3_600_000).toISOString() });
    await notify(uniqueId('someone-else'), 'private.type');

    const response = await h.request('GET', '/v1/notification-types', { token: h.userToken(user) });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        unconfigured('alpha'),
        { key: 'billing', description: 'Invoices', critical: true, default_in_app: true, default_email: true },
        unconfigured('comment.created'),
        { key: 'zeta', description: null, critical: false, default_in_app: false, default_email: false },
      ],
    });
  });

  it('answers only the configured types to a user who has received nothing', async () => {
    const response = await h.request('GET', '/v1/notification-types', { token: h.userToken(uniqueId('new')) });
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { key: string }) => item.key)).toEqual(['billing', 'zeta']);
  });

  it("leaves a type's producer settings (GET /v1/notification-types/:key) to producers", async () => {
    const response = await h.request('GET', '/v1/notification-types/billing', { token: h.userToken(uniqueId('nosy')) });
    expect(response.status).toBe(403);
  });
});
