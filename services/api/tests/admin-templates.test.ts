import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyUnsubscribe } from '@tidings/email';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness({ PRODUCT_NAME: 'Acme <Mail>', BRAND_COLOR: '#123456', FOOTER_ADDRESS: '1 Main St, Springfield' });
});
afterAll(async () => {
  await h?.close();
});

const sql = () => h.api.deps.database.sql;
const key = () => `tpl-${uniqueId('t').toLowerCase()}`;
const mjml = (text: string, color = '#333333') =>
  `<mjml><mj-body><mj-section><mj-column><mj-text color="${color}">${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const preview = (type: string, body: unknown, token = h.admin) => h.request('POST', `/v1/admin/notification-types/${type}/preview`, { token, body });
const linkClaims = (html: string) => {
  const token = /\/v1\/unsubscribe\?token=([\w.-]+)/.exec(html)?.[1];
  return verifyUnsubscribe(h.config.UNSUBSCRIBE_SECRET, token);
};

describe('POST /v1/admin/notification-types/:key/preview', () => {
  it('renders the default template with sample values, branding and the unsubscribe link', async () => {
    const type = key();
    const response = await preview(type, {});
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['html', 'subject', 'text']);
    const { subject, html, text } = response.body;
    expect(subject).toBe('Your order has shipped');
    expect(html).toContain('Your order has shipped');
    expect(html).toContain('Acme &lt;Mail&gt;');
    expect(html).toContain('#123456');
    expect(html).toContain('1 Main St, Springfield');
    expect(text).toContain('Your order has shipped');
    expect(text).toContain('Acme <Mail> · 1 Main St, Springfield');
    expect(linkClaims(html)).toMatchObject({ userId: 'root', type });
    expect(text).toMatch(/Unsubscribe: http:\/\/\S+\/v1\/unsubscribe\?token=/);
  });

  it('fills the given values, escaped', async () => {
    const response = await preview(key(), {
      title: '<script>alert(1)</script>',
      body: 'Tom & Jerry',
      action_url: '/orders/42',
      recipient_name: 'Zoë',
      data: { order: 42 },
      template: mjml('Hi {{recipient_name}}: {{title}} / {{body}} / order {{data.order}} / <a href="{{action_url}}">open</a>'),
    });
    expect(response.status).toBe(200);
    const { html, text, subject } = response.body;
    expect(subject).toBe('<script>alert(1)</script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Hi Zoë: &lt;script&gt;alert(1)&lt;/script&gt; / Tom &amp; Jerry / order 42');
    expect(html).toContain(`href="${h.config.PUBLIC_URL.replace(/\/$/, '')}/orders/42"`);
    expect(text).toContain('<script>alert(1)</script>\n\nTom & Jerry');
  });

  it("uses the type's saved template when none is given, and the default for null", async () => {
    const type = key();
    await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: mjml('SAVED {{title}}') } });
    const saved = await preview(type, { title: 'T1' });
    expect(saved.body.html).toContain('SAVED T1');
    const tried = await preview(type, { title: 'T2', template: mjml('TRIED {{title}}') });
    expect(tried.body.html).toContain('TRIED T2');
    expect(tried.body.html).not.toContain('SAVED');
    const fallback = await preview(type, { title: 'T3', template: null });
    expect(fallback.body.html).not.toContain('SAVED');
    expect(fallback.body.html).toContain('T3');
    const stored = await h.request('GET', `/v1/notification-types/${type}`, { token: h.service });
    expect(stored.body.template).toBe(mjml('SAVED {{title}}'));
  });

  it('saves nothing, even for a type never configured', async () => {
    const type = key();
    expect((await preview(type, { template: mjml('x') })).status).toBe(200);
    const [row] = await sql()<{ count: number }[]>`select count(*)::int as count from notification_types where key = ${type}`;
    expect(row!.count).toBe(0);
  });

  it('refuses a template whose MJML or placeholders do not compile as a save of it is refused, naming the template with the MJML error', async () => {
    const type = key();
    const badColor = await preview(type, { template: mjml('x', 'nope') });
    expect(badColor.status).toBe(400);
    expect(badColor.body.error.code).toBe('validation_failed');
    expect(badColor.body.error.details).toEqual([{ path: 'template', message: expect.stringMatching(/invalid MJML template: .*color/) }]);
    const written = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: mjml('x', 'nope') } });
    expect(written.body.error.details).toEqual(badColor.body.error.details);
    const unclosed = await preview(type, { template: mjml('{{#data.items}}') });
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.details).toEqual([{ path: 'template', message: expect.stringMatching(/never closed/) }]);
  });

  it('refuses bad input with the field named', async () => {
    const cases: [unknown, string][] = [
      [{ subject: 'x' }, 'subject'],
      [{ template: 42 }, 'template'],
      [{ template: 'x'.repeat(100_001) }, 'template'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ body: 7 }, 'body'],
      [{ action_url: 'javascript:alert(1)' }, 'action_url'],
      [{ data: [1] }, 'data'],
      [{ recipient_name: 'a\nb' }, 'recipient_name'],
    ];
    for (const [body, field] of cases) {
      const response = await preview(key(), body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const badKey = await preview('Not A Key', {});
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.details[0].path).toBe('key');
  });
});

/** A recipient with an address and a type that emails, so a create queues an email log. */
async function emailingUser(): Promise<{ user: string; type: string }> {
  const user = uniqueId('mail');
  const type = key();
  await h.request('PUT', `/v1/recipients/${user}`, { token: h.service, body: { email: `${user}@example.com`, name: 'Ada <Admin>' } });
  await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { default_email: true } });
  return { user, type };
}

async function emailLogOf(notificationId: string): Promise<string> {
  const [row] = await sql()<{ id: string }[]>`select id from email_logs where notification_id = ${notificationId}`;
  return row!.id;
}

describe('GET /v1/admin/email-logs/:id', () => {
  it('answers the email log', async () => {
    const { user, type } = await emailingUser();
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: 'Logged' } });
    const id = await emailLogOf(created.body.notification_ids[0]);
    const response = await h.request('GET', `/v1/admin/email-logs/${id}`, { token: h.admin });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id,
      user_id: user,
      notification_id: created.body.notification_ids[0],
      broadcast_id: created.body.broadcast_id,
      kind: 'notification',
      to: `${user}@example.com`,
      status: 'queued',
    });
    const listed = await h.request('GET', `/v1/admin/email-logs?user_id=${user}`, { token: h.admin });
    expect(listed.body.items).toEqual([response.body]);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await h.request('GET', `/v1/admin/email-logs/${crypto.randomUUID()}`, { token: h.admin })).status).toBe(404);
    expect((await h.request('GET', `/v1/admin/email-logs/${crypto.randomUUID()}/rendered`, { token: h.admin })).status).toBe(404);
    for (const path of ['/v1/admin/email-logs/nope', '/v1/admin/email-logs/nope/rendered']) {
      const response = await h.request('GET', path, { token: h.admin });
      expect(response.status).toBe(400);
      expect(response.body.error.details[0].path).toBe('id');
    }
  });
});

describe('GET /v1/admin/email-logs/:id/rendered', () => {
  it("renders a notification email with the notification's title, escaped", async () => {
    const { user, type } = await emailingUser();
    const title = '<script>alert(1)</script>';
    const created = await h.request('POST', '/v1/notifications', {
      token: h.service,
      body: { to: { user_ids: [user] }, type, title, body: 'Body & more', action_url: 'https://example.com/x?a=1&b=2' },
    });
    const id = await emailLogOf(created.body.notification_ids[0]);
    const response = await h.request('GET', `/v1/admin/email-logs/${id}/rendered`, { token: h.admin });
    expect(response.status).toBe(200);
    const { subject, html, text } = response.body;
    expect(subject).toBe(title);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Body &amp; more');
    expect(html).toContain('https://example.com/x?a=1&amp;b=2');
    expect(text).toContain(title);
    expect(text).toContain('View: https://example.com/x?a=1&b=2');
    expect(linkClaims(html)).toMatchObject({ userId: user, type });
  });

  it("follows the type's current template", async () => {
    const { user, type } = await emailingUser();
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: 'Now' } });
    const id = await emailLogOf(created.body.notification_ids[0]);
    await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: mjml('CURRENT {{title}} for {{recipient_name}}') } });
    const response = await h.request('GET', `/v1/admin/email-logs/${id}/rendered`, { token: h.admin });
    expect(response.body.html).toContain('CURRENT Now for Ada &lt;Admin&gt;');
  });

  it('renders a digest from what its window holds, and answers no_content once nothing is left', async () => {
    const { user, type } = await emailingUser();
    const token = h.userToken(user);
    await h.request('PUT', '/v1/preferences', { token, body: { digest: 'daily' } });
    const since = new Date(Date.now() - 60_000);
    const first = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: 'First <b>item</b>' } });
    const second = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: 'Second item' } });
    const until = new Date(Date.now() + 1_000);
    const [log] = await sql()<{ id: string }[]>`
      insert into email_logs (user_id, kind, dedupe_key, "to", subject, template, status, digest_period, digest_since, digest_until)
      values (${user}, 'digest', ${`d:${user}`}, ${`${user}@example.com`}, 'Your daily digest', 'digest', 'queued', 'daily',
              ${since.toISOString()}::timestamptz, ${until.toISOString()}::timestamptz)
      returning id`;
    const rendered = await h.request('GET', `/v1/admin/email-logs/${log!.id}/rendered`, { token: h.admin });
    expect(rendered.status).toBe(200);
    expect(rendered.body.subject).toBe('Your daily Acme <Mail> digest: 2 new notifications');
    expect(rendered.body.html).toContain('First &lt;b&gt;item&lt;/b&gt;');
    expect(rendered.body.text).toContain('- Second item');

    await h.request('POST', `/v1/notifications/${first.body.notification_ids[0]}/read`, { token });
    const fewer = await h.request('GET', `/v1/admin/email-logs/${log!.id}/rendered`, { token: h.admin });
    expect(fewer.body.subject).toMatch(/1 new notification$/);
    expect(fewer.body.html).not.toContain('First');

    await h.request('DELETE', `/v1/notifications/${second.body.notification_ids[0]}`, { token });
    const empty = await h.request('GET', `/v1/admin/email-logs/${log!.id}/rendered`, { token: h.admin });
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('no_content');
    expect(empty.body.error.message).toMatch(/digest has nothing left/);
  });

  it('answers no_content when the send the email carried is gone', async () => {
    const { user, type } = await emailingUser();
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: 'Gone soon' } });
    const id = await emailLogOf(created.body.notification_ids[0]);
    await sql()`delete from broadcasts where id = ${created.body.broadcast_id}`;
    const response = await h.request('GET', `/v1/admin/email-logs/${id}/rendered`, { token: h.admin });
    expect(response.status).toBe(409);
    expect(response.body.error).toEqual({ code: 'no_content', message: 'the email has no content: its send is gone' });
    expect((await h.request('GET', `/v1/admin/email-logs/${id}`, { token: h.admin })).status).toBe(200);
  });
});

describe('access', () => {
  it('is for admins only', async () => {
    const { user, type } = await emailingUser();
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type, title: 'Mine' } });
    const id = await emailLogOf(created.body.notification_ids[0]);
    const routes: [string, string, unknown?][] = [
      ['POST', `/v1/admin/notification-types/${type}/preview`, {}],
      ['GET', `/v1/admin/email-logs/${id}`],
      ['GET', `/v1/admin/email-logs/${id}/rendered`],
    ];
    for (const [method, path, body] of routes) {
      const asUser = await h.request(method, path, { token: h.userToken(user), body });
      expect(asUser.status, path).toBe(403);
      expect(asUser.body.error.code).toBe('forbidden');
      expect((await h.request(method, path, { token: h.service, body })).status, path).toBe(403);
      expect((await h.request(method, path, { body })).status, path).toBe(401);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body;
    const previewOp = doc.paths['/v1/admin/notification-types/{key}/preview'].post;
    expect(previewOp.responses).toHaveProperty('400');
    expect(previewOp.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.paths['/v1/admin/email-logs/{id}']).toHaveProperty('get');
    expect(doc.paths['/v1/admin/email-logs/{id}/rendered'].get.responses).toHaveProperty('409');
  });
});
