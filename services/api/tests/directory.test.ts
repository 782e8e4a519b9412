import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const send = (user: string, type: string, priority = 'normal') =>
  h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: type, priority } });
const inboxTypes = async (user: string) =>
  (await h.request('GET', '/v1/notifications', { token: h.userToken(user) })).body.items.map((n: { type: string }) => n.type);

describe('recipients', () => {
  it('creates, partially updates, reads and deletes a recipient with their notifications', async () => {
    const id = uniqueId('r');
    const created = await h.request('PUT', `/v1/recipients/${id}`, {
      token: h.service,
      body: { email: 'r@example.com', name: 'R', locale: 'pt-BR', roles: ['staff'] },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id, email: 'r@example.com', name: 'R', locale: 'pt-BR', roles: ['staff'], last_seq: 0, email_unsubscribed_at: null });
    const updated = await h.request('PUT', `/v1/recipients/${id}`, { token: h.service, body: { name: 'Rita' } });
    expect(updated.body).toMatchObject({ email: 'r@example.com', name: 'Rita', roles: ['staff'] });
    await send(id, 'hello');
    expect((await h.request('GET', `/v1/recipients/${id}`, { token: h.admin })).body.last_seq).toBe(1);
    expect((await h.request('DELETE', `/v1/recipients/${id}`, { token: h.service })).status).toBe(204);
    expect((await h.request('GET', `/v1/recipients/${id}`, { token: h.service })).status).toBe(404);
    expect((await h.request('DELETE', `/v1/recipients/${id}`, { token: h.service })).status).toBe(404);
    expect(await inboxTypes(id)).toEqual([]);
  });

  it('creates a recipient without email when a notification names an unknown user', async () => {
    const id = uniqueId('new');
    await send(id, 'welcome');
    expect((await h.request('GET', `/v1/recipients/${id}`, { token: h.service })).body).toMatchObject({ id, email: null, last_seq: 1 });
  });
});

describe('notification types and preferences', () => {
  it('answers defaults for an unknown type and stores changes', async () => {
    const key = `type-${uniqueId('k').toLowerCase()}`;
    expect((await h.request('GET', `/v1/notification-types/${key}`, { token: h.service })).body).toMatchObject({
      key,
      default_in_app: true,
      default_email: false,
      critical: false,
    });
    const saved = await h.request('PUT', `/v1/notification-types/${key}`, { token: h.service, body: { description: 'D', default_email: true } });
    expect(saved.body).toMatchObject({ key, description: 'D', default_email: true, default_in_app: true });
    expect((await h.request('PUT', `/v1/notification-types/${key}`, { token: h.service, body: { critical: true } })).body).toMatchObject({
      description: 'D',
      critical: true,
    });
  });

  it('merges preference updates and answers the full document', async () => {
    const user = uniqueId('p');
    const token = h.userToken(user);
    expect((await h.request('GET', '/v1/preferences', { token })).body).toEqual({ in_app_enabled: true, email_enabled: true, digest: 'off', types: {} });
    await h.request('PUT', '/v1/preferences', { token, body: { types: { social: { in_app: false } } } });
    const next = await h.request('PUT', '/v1/preferences', { token, body: { digest: 'daily', types: { social: { email: false }, billing: { email: true } } } });
    expect(next.body).toEqual({
      in_app_enabled: true,
      email_enabled: true,
      digest: 'daily',
      types: { social: { in_app: false, email: false }, billing: { email: true } },
    });
    const cleared = await h.request('PUT', '/v1/preferences', { token, body: { types: { social: null } } });
    expect(cleared.body.types).toEqual({ billing: { email: true } });
    expect((await h.request('GET', '/v1/preferences', { token })).body).toEqual(cleared.body);
  });

  it('drops in-app notifications a user opted out of, except critical ones', async () => {
    const user = uniqueId('opt');
    const token = h.userToken(user);
    const security = `security-${uniqueId('s').toLowerCase()}`;
    await h.request('PUT', `/v1/notification-types/${security}`, { token: h.service, body: { critical: true } });
    await h.request('PUT', '/v1/preferences', { token, body: { types: { marketing: { in_app: false }, [security]: { in_app: false } } } });

    const marketing = await send(user, 'marketing');
    expect(marketing.body).toMatchObject({ recipient_count: 0, notification_ids: [] });
    await send(user, security);
    await send(user, 'marketing', 'critical');
    await send(user, 'social');
    expect(await inboxTypes(user)).toEqual(['social', 'marketing', security]);
    const seqs = (await h.request('GET', '/v1/notifications', { token })).body.items.map((n: { seq: number }) => n.seq);
    expect(seqs).toEqual([3, 2, 1]);

    await h.request('PUT', '/v1/preferences', { token, body: { in_app_enabled: false } });
    expect((await send(user, security)).body.recipient_count).toBe(0);
  });

  it('honours a type whose default is in-app off unless the user opts in', async () => {
    const key = `quiet-${uniqueId('q').toLowerCase()}`;
    await h.request('PUT', `/v1/notification-types/${key}`, { token: h.service, body: { default_in_app: false } });
    const [off, on] = [uniqueId('off'), uniqueId('on')];
    await h.request('PUT', '/v1/preferences', { token: h.userToken(on), body: { types: { [key]: { in_app: true } } } });
    const response = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [off, on] }, type: key, title: 'q' } });
    expect(response.body.recipient_count).toBe(1);
    expect(await inboxTypes(on)).toEqual([key]);
    expect(await inboxTypes(off)).toEqual([]);
  });
});

describe('documentation and operations', () => {
  it('serves an OpenAPI 3.1 document covering every route, and the docs page', async () => {
    const doc = await h.request('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/notifications',
      '/v1/notifications/{id}',
      '/v1/notifications/unread-count',
      '/v1/notifications/read-all',
      '/v1/notifications/{id}/read',
      '/v1/notifications/{id}/unread',
      '/v1/preferences',
      '/v1/recipients/{id}',
      '/v1/notification-types/{key}',
      '/v1/admin/notifications',
      '/v1/admin/broadcasts',
      '/v1/admin/broadcasts/{id}/cancel',
      '/v1/admin/email-logs',
      '/v1/admin/stats',
      '/v1/admin/connections',
      '/v1/admin/users/{id}/disconnect',
    ]) {
      expect(doc.body.paths, path).toHaveProperty([path]);
    }
    expect(doc.body.components.schemas).toHaveProperty('CreateNotification');
    const docs = await fetch(`${h.api.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('exposes the contract metrics and security headers', async () => {
    await send(uniqueId('m'), 'metered');
    const metrics = await (await fetch(`${h.api.url}/metrics`)).text();
    expect(metrics).toMatch(/tidings_notifications_created_total\{type="metered",service="api"\} 1/);
    expect(metrics).toContain('tidings_http_request_duration_seconds_bucket');
    expect(metrics).toContain('route="/v1/notifications"');
    expect(metrics).toContain('process_resident_memory_bytes');
    const response = await fetch(`${h.api.url}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await h.request('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
