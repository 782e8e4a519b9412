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

async function recipient(id: string, fields: Record<string, unknown> = {}) {
  const response = await h.request('PUT', `/v1/recipients/${encodeURIComponent(id)}`, { token: h.service, body: fields });
  expect(response.status).toBe(200);
  return response.body;
}

const search = (query: Record<string, string>) => h.request('GET', `/v1/admin/recipients?${new URLSearchParams(query)}`, { token: h.admin });
const ids = (body: { items: { id: string }[] }) => body.items.map((item) => item.id);

describe('GET /v1/admin/recipients', () => {
  it('pages through every recipient by id', async () => {
    const tag = uniqueId('page');
    for (const suffix of ['c', 'a', 'e', 'b', 'd']) await recipient(`${tag}-${suffix}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search({ q: tag, limit: '2', ...(cursor === null ? {} : { cursor }) });
      expect(page.status).toBe(200);
      seen.push(...ids(page.body));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((suffix) => `${tag}-${suffix}`));

    const all = await search({ limit: '100' });
    expect(ids(all.body)).toEqual(expect.arrayContaining(seen));
  });

  it('answers the recipient shape', async () => {
    const id = uniqueId('shape');
    const saved = await recipient(id, { email: `${id}@example.com`, name: 'Shape Tester', locale: 'en', roles: ['staff'] });
    const found = await search({ q: id });
    expect(found.body).toEqual({ items: [saved], next_cursor: null });
  });

  it('matches the start of the id, or any part of the email or name, ignoring case', async () => {
    const tag = uniqueId('Find').toLowerCase();
    const byId = await recipient(`${tag}-ID-match`);
    const byEmail = await recipient(uniqueId('e'), { email: `someone.${tag}@Example.com` });
    const byName = await recipient(uniqueId('n'), { name: `Dr ${tag.toUpperCase()} Who` });
    await recipient(`x-${tag}`);
    expect(ids((await search({ q: tag.toUpperCase() })).body).sort()).toEqual([byId.id, byEmail.id, byName.id].sort());
    expect(ids((await search({ q: `${tag}-id` })).body)).toEqual([byId.id]);
    expect(ids((await search({ q: `${tag}@example.COM` })).body)).toEqual([byEmail.id]);
    expect(ids((await search({ q: `${tag} who` })).body)).toEqual([byName.id]);
  });

  it('takes % and _ literally', async () => {
    const tag = uniqueId('lit');
    const percent = await recipient(`${tag}%off`);
    await recipient(`${tag}xoff`);
    expect(ids((await search({ q: `${tag}%` })).body)).toEqual([percent.id]);
    expect(ids((await search({ q: `${tag}_off` })).body)).toEqual([]);
  });

  it('refuses bad input with the field named', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ q: '' }, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ cursor: 'bogus' }, 'cursor'],
      [{ email: 'a@example.com' }, 'email'],
    ];
    for (const [query, field] of cases) {
      const response = await search(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });
});

describe('GET /v1/admin/users/:id/preferences', () => {
  it('answers exactly what the user gets from GET /v1/preferences', async () => {
    const user = uniqueId('prefs');
    await recipient(user);
    const defaults = await h.request('GET', `/v1/admin/users/${user}/preferences`, { token: h.admin });
    expect(defaults.status).toBe(200);
    expect(defaults.body).toEqual({ in_app_enabled: true, email_enabled: true, digest: 'off', types: {} });

    const token = h.userToken(user);
    await h.request('PUT', '/v1/preferences', { token, body: { digest: 'weekly', types: { billing: { email: false } } } });
    const own = await h.request('GET', '/v1/preferences', { token });
    const seen = await h.request('GET', `/v1/admin/users/${user}/preferences`, { token: h.admin });
    expect(seen.body).toEqual(own.body);
    expect(seen.body).toMatchObject({ digest: 'weekly', types: { billing: { email: false } } });
  });

  it('answers 404 when there is no such recipient, and 400 for a bad id', async () => {
    const unknown = await h.request('GET', `/v1/admin/users/${uniqueId('nobody')}/preferences`, { token: h.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const bad = await h.request('GET', `/v1/admin/users/${'x'.repeat(256)}/preferences`, { token: h.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('id');
  });
});

describe('GET /v1/admin/notification-types', () => {
  it('lists configured types and the ones only sends used, sorted by key', async () => {
    const tag = uniqueId('t').toLowerCase();
    const template = '<mjml><mj-body><mj-section><mj-column><mj-text>{{title}}</mj-text></mj-column></mj-section></mj-body></mjml>';
    const configured = await h.request('PUT', `/v1/notification-types/${tag}.b`, {
      token: h.service,
      body: { description: 'Configured', default_email: true, critical: true, template },
    });
    expect(configured.status).toBe(200);
    await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [uniqueId('u')] }, type: `${tag}.c`, title: 'x' } });
    await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [uniqueId('u')] }, type: `${tag}.a`, title: 'y' } });
    await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [uniqueId('u')] }, type: `${tag}.b`, title: 'z' } });

    const response = await h.request('GET', '/v1/admin/notification-types', { token: h.admin });
    expect(response.status).toBe(200);
    const keys = response.body.items.map((type: { key: string }) => type.key);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    const mine = response.body.items.filter((type: { key: string }) => type.key.startsWith(tag));
    const unconfigured = (key: string) => ({
      key,
      description: null,
      default_in_app: true,
      default_email: false,
      critical: false,
      template: null,
      created_at: null,
      updated_at: null,
    });
    expect(mine).toEqual([unconfigured(`${tag}.a`), configured.body, unconfigured(`${tag}.c`)]);
    expect(configured.body).toMatchObject({ template, critical: true, created_at: expect.any(String) });
  });
});

describe('access', () => {
  it('is for admins only', async () => {
    const user = uniqueId('self');
    await recipient(user);
    for (const path of ['/v1/admin/recipients', `/v1/admin/users/${user}/preferences`, '/v1/admin/notification-types']) {
      const asUser = await h.request('GET', path, { token: h.userToken(user) });
      expect(asUser.status, path).toBe(403);
      expect(asUser.body.error.code).toBe('forbidden');
      expect((await h.request('GET', path, { token: h.service })).status, path).toBe(403);
      expect((await h.request('GET', path)).status, path).toBe(401);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/admin/recipients'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'limit', 'cursor']));
    expect(doc.paths['/v1/admin/users/{id}/preferences']).toHaveProperty('get');
    expect(doc.paths['/v1/admin/notification-types']).toHaveProperty('get');
  });
});
