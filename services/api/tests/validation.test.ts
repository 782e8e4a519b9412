import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@tidings/protocol';
import { databaseFingerprint, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const valid = { to: { user_ids: ['alice'] }, type: 'comment', title: 'Hello' };

async function rowCounts() {
  const [row] = await h.api.deps.database.sql<{ notifications: number; broadcasts: number }[]>`
    select (select count(*)::int from notifications) as notifications, (select count(*)::int from broadcasts) as broadcasts`;
  return row;
}

function expectField(response: { status: number; body: any }, field: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.error.code).toBe('validation_failed');
  expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  expect(response.body.error.message).toContain(field);
}

describe('bad input to POST /v1/notifications', () => {
  it.each([
    ['title', { ...valid, title: 5 }],
    ['title', { ...valid, title: '' }],
    ['title', { ...valid, title: 'x'.repeat(limits.titleLength + 1) }],
    ['body', { ...valid, body: 'x'.repeat(limits.bodyLength + 1) }],
    ['data', { ...valid, data: { blob: 'x'.repeat(limits.dataBytes) } }],
    ['data', { ...valid, data: [1, 2] }],
    ['extra', { ...valid, extra: true }],
    ['to', { ...valid, to: { user_ids: ['a'], all: true } }],
    ['to', { ...valid, to: {} }],
    ['to.user_ids', { ...valid, to: { user_ids: [] } }],
    ['to.user_ids', { ...valid, to: { user_ids: Array.from({ length: limits.userIdsPerRequest + 1 }, (_, i) => `u${i}`) } }],
    ['to.user_ids.0', { ...valid, to: { user_ids: ['line\nbreak'] } }],
    ['to.all', { ...valid, to: { all: false } }],
    ['to.roles.0', { ...valid, to: { roles: ['has space'] } }],
    ['type', { ...valid, type: 'Not A Key' }],
    ['priority', { ...valid, priority: 'urgent' }],
    ['icon', { ...valid, icon: 'javascript:alert(1)' }],
    ['action_url', { ...valid, action_url: 'data:text/html,hi' }],
    ['send_at', { ...valid, send_at: 'tomorrow' }],
  ])('names %s and writes nothing', async (field, body) => {
    const before = await rowCounts();
    expectField(await h.request('POST', '/v1/notifications', { token: h.service, body }), field);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const response = await h.request('POST', '/v1/notifications', { token: h.service, raw: '{"to": ' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('answers 400 naming the body for a missing or non-object body', async () => {
    expectField(await h.request('POST', '/v1/notifications', { token: h.service }), 'to');
    const array = await h.request('POST', '/v1/notifications', { token: h.service, raw: '[1]' });
    expect(array.status).toBe(400);
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await h.request('POST', '/v1/notifications', {
      token: h.service,
      body: { ...valid, data: { blob: 'x'.repeat(limits.requestBodyBytes) } },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('names the Idempotency-Key header when it is malformed', async () => {
    expectField(
      await h.request('POST', '/v1/notifications', { token: h.service, body: valid, headers: { 'Idempotency-Key': 'has space' } }),
      'idempotency-key',
    );
    expectField(
      await h.request('POST', '/v1/notifications', {
        token: h.service,
        body: valid,
        headers: { 'Idempotency-Key': 'k'.repeat(limits.idempotencyKeyLength + 1) },
      }),
      'idempotency-key',
    );
  });
});

describe('links a page will render (action_url, icon)', () => {
  const scheduled = () => ({ send_at: new Date(Date.now() + 3_600_000).toISOString() });
  const unsafe = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    '\njavascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '//evil.example/path',
    '/\\evil.example',
    'https://x/\u0000',
    '/path\twith-tab',
  ];

  it.each(unsafe.flatMap((url) => (['action_url', 'icon'] as const).flatMap((field) => [false, true].map((later) => [field, url, later] as const))))(
    'refuses %s %j (scheduled: %s) with 400 naming the field and writes nothing',
    async (field, url, later) => {
      const before = await rowCounts();
      const response = await h.request('POST', '/v1/notifications', { token: h.service, body: { ...valid, ...(later ? scheduled() : {}), [field]: url } });
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([field]);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it.each(['https://x', 'http://example.com/a?b=c#d', '/path', '/'])('accepts %j on a send now and a scheduled one', async (url) => {
    const user = uniqueId('links');
    const now = await h.request('POST', '/v1/notifications', { token: h.service, body: { ...valid, to: { user_ids: [user] }, action_url: url, icon: url } });
    expect(now.status, JSON.stringify(now.body)).toBe(201);
    const later = await h.request('POST', '/v1/notifications', { token: h.service, body: { ...valid, ...scheduled(), action_url: url, icon: url } });
    expect(later.status, JSON.stringify(later.body)).toBe(202);
    const [item] = (await h.request('GET', '/v1/notifications', { token: h.userToken(user) })).body.items;
    expect(item).toMatchObject({ action_url: url, icon: url });
  });
});

describe('bad input on the other routes', () => {
  const user = () => h.userToken(uniqueId('v'));
  it.each([
    ['limit', 'GET', '/v1/notifications?limit=100000'],
    ['limit', 'GET', '/v1/notifications?limit=0'],
    ['limit', 'GET', '/v1/notifications?limit=ten'],
    ['cursor', 'GET', '/v1/notifications?cursor=garbage'],
    ['cursor', 'GET', `/v1/notifications?cursor=${Buffer.from('[-1]').toString('base64url')}`],
    ['unread_only', 'GET', '/v1/notifications?unread_only=maybe'],
    ['type', 'GET', '/v1/notifications?type=NOPE!'],
    ['sort', 'GET', '/v1/notifications?sort=asc'],
    ['limit', 'GET', '/v1/notifications?limit=1&limit=2'],
    ['id', 'GET', '/v1/notifications/not-a-uuid'],
    ['id', 'POST', '/v1/notifications/42/read'],
    ['id', 'POST', '/v1/notifications/42/unread'],
    ['id', 'DELETE', '/v1/notifications/42'],
  ] as const)('names %s for %s %s', async (field, method, path) => {
    expectField(await h.request(method, path, { token: user() }), field);
  });

  it.each([
    ['type', { type: 5 }],
    ['everything', { everything: true }],
  ])('names %s on read-all', async (field, body) => {
    expectField(await h.request('POST', '/v1/notifications/read-all', { token: user(), body }), field);
  });

  it.each([
    ['digest', { digest: 'hourly' }],
    ['email_enabled', { email_enabled: 'yes' }],
    ['types.Bad Key', { types: { 'Bad Key': { email: false } } }],
    ['types.comment.in_app', { types: { comment: { in_app: 'no' } } }],
    ['types.comment.sms', { types: { comment: { sms: true } } }],
    ['colour', { colour: 'blue' }],
  ])('names %s on PUT /v1/preferences and changes nothing', async (field, body) => {
    const token = user();
    expectField(await h.request('PUT', '/v1/preferences', { token, body }), field);
    expect((await h.request('GET', '/v1/preferences', { token })).body).toEqual({ in_app_enabled: true, email_enabled: true, digest: 'off', types: {} });
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['roles', { roles: 'admin' }],
    ['locale', { locale: 'english please' }],
    ['name', { name: 'a\u0000b' }],
    ['nickname', { nickname: 'x' }],
  ])('names %s on PUT /v1/recipients/:id', async (field, body) => {
    expectField(await h.request('PUT', '/v1/recipients/alice', { token: h.service, body }), field);
  });

  it('names id for an over-long recipient id', async () => {
    expectField(await h.request('PUT', `/v1/recipients/${'a'.repeat(limits.userIdLength + 1)}`, { token: h.service, body: {} }), 'id');
  });

  it.each([
    ['default_email', 'comment', { default_email: 'yes' }],
    ['critical', 'comment', { critical: 1 }],
    ['key', 'Bad%20Key', {}],
  ])('names %s on PUT /v1/notification-types/:key', async (field, key, body) => {
    expectField(await h.request('PUT', `/v1/notification-types/${key}`, { token: h.service, body }), field);
  });

  it.each([
    ['limit', '/v1/admin/notifications?limit=5000'],
    ['cursor', '/v1/admin/notifications?cursor=bad'],
    ['cursor', `/v1/admin/notifications?cursor=${Buffer.from('["not a date","x"]').toString('base64url')}`],
    ['user_id', `/v1/admin/notifications?user_id=${'u'.repeat(300)}`],
    ['broadcast_id', '/v1/admin/notifications?broadcast_id=7'],
    ['status', '/v1/admin/broadcasts?status=done'],
    ['status', '/v1/admin/email-logs?status=lost'],
    ['verbose', '/v1/admin/stats?verbose=1'.replace('stats', 'connections')],
  ])('names %s on %s', async (field, path) => {
    expectField(await h.request('GET', path, { token: h.admin }), field);
  });

  const manyIds = (count: number) => Array.from({ length: count }, () => randomUUID());
  it.each([
    ['ids', '/v1/notifications/read', { ids: [] }],
    ['ids', '/v1/notifications/read', { ids: manyIds(limits.idsPerBulkRequest + 1) }],
    ['ids.1', '/v1/notifications/read', { ids: [randomUUID(), 'not-a-uuid'] }],
    ['ids', '/v1/notifications/read', { ids: randomUUID() }],
    ['ids', '/v1/notifications/read', {}],
    ['all_read', '/v1/notifications/read', { ids: [randomUUID()], all_read: true }],
    ['ids', '/v1/notifications/delete', { ids: [] }],
    ['ids', '/v1/notifications/delete', { ids: manyIds(limits.idsPerBulkRequest + 1) }],
    ['ids.0', '/v1/notifications/delete', { ids: ['42'] }],
    ['all_read', '/v1/notifications/delete', { all_read: false }],
    ['all_read', '/v1/notifications/delete', { all_read: 'true' }],
    ['all_read', '/v1/notifications/delete', { ids: [randomUUID()], all_read: true }],
    ['ids', '/v1/notifications/delete', {}],
    ['everything', '/v1/notifications/delete', { everything: true }],
  ])('names %s on POST %s and writes nothing', async (field, path, body) => {
    const user = uniqueId('bulk');
    const token = h.userToken(user);
    await h.request('POST', '/v1/notifications', { token: h.service, body: { ...valid, to: { user_ids: [user] } } });
    await h.request('POST', '/v1/notifications/read', {
      token,
      body: { ids: (await h.request('GET', '/v1/notifications', { token })).body.items.map((n: { id: string }) => n.id) },
    });
    const before = await databaseFingerprint(h.api.deps.database.sql, { notifications: ['published_at'] });
    expectField(await h.request('POST', path, { token, body }), field);
    expect(await databaseFingerprint(h.api.deps.database.sql, { notifications: ['published_at'] })).toBe(before);
  });

  it('answers invalid_json for a malformed bulk body', async () => {
    const response = await h.request('POST', '/v1/notifications/delete', { token: user(), raw: '{"ids": [' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('names id when cancelling a broadcast with a malformed id', async () => {
    expectField(await h.request('POST', '/v1/admin/broadcasts/xyz/cancel', { token: h.admin }), 'id');
  });

  it('keeps serving after all of that', async () => {
    expect((await h.request('GET', '/healthz')).status).toBe(200);
    expect((await h.request('POST', '/v1/notifications', { token: h.service, body: valid })).status).toBe(201);
  });
});
