import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribe } from '@tidings/email';
import { uniqueId } from '@tidings/test-support';
import { signWebhook } from '../src/http/webhook-signature.ts';
import { unsubscribePerMinute } from '../src/routes/unsubscribe.ts';
import { startHarness, type ApiHarness } from './harness.ts';

const webhookSecret = 'webhook-secret-for-tests-0123456789abcdef';
let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness({ EMAIL_WEBHOOK_SECRET: webhookSecret, PRODUCT_NAME: 'Acme <Mail> & "Co"', BRAND_COLOR: '#123456' });
});
afterAll(async () => {
  await h?.close();
});

const sql = () => h.api.deps.database.sql;
const tokenFor = (userId: string, type?: string) => signUnsubscribe(h.config.UNSUBSCRIBE_SECRET, { userId, type });
const unsubscribeUrl = (token?: string) => (token === undefined ? '/v1/unsubscribe' : `/v1/unsubscribe?${new URLSearchParams({ token })}`);
const asJson = { accept: 'application/json' };
const form = (fields: string, headers: Record<string, string> = {}) => ({
  raw: fields,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

async function recipient(): Promise<string> {
  const id = uniqueId('unsub');
  await h.request('PUT', `/v1/recipients/${id}`, { token: h.service, body: { email: `${id}@example.com` } });
  return id;
}

/** What an unsubscribe may change: the preferences document and the recipient's unsubscribe time. */
async function emailState(userId: string) {
  const preferences = (await h.request('GET', '/v1/preferences', { token: h.userToken(userId) })).body;
  const [row] = await sql()<{ unsubscribed: boolean }[]>`select email_unsubscribed_at is not null as unsubscribed from recipients where id = ${userId}`;
  return { preferences, unsubscribed: row?.unsubscribed };
}
const untouched = { preferences: { in_app_enabled: true, email_enabled: true, digest: 'off', types: {} }, unsubscribed: false };

describe('GET /v1/unsubscribe', () => {
  it('shows an escaped, branded confirmation page for a typed link and changes nothing', async () => {
    const user = await recipient();
    const type = '<script>alert(1)</script>';
    const page = await h.request('GET', unsubscribeUrl(tokenFor(user, type)));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).toContain('Acme &lt;Mail&gt; &amp; &quot;Co&quot;');
    expect(page.body).toContain('--brand: #123456');
    expect(page.body).toMatch(/<form method="post" action="\?token=[\w.-]+">/);
    expect(page.body).toContain('name="scope" value="type"');
    expect(page.body).toContain('name="scope" value="all"');
    expect(await emailState(user)).toEqual(untouched);
  });

  it('offers only "all emails" for an untyped link', async () => {
    const page = await h.request('GET', unsubscribeUrl(tokenFor(await recipient())));
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="scope" value="all"');
    expect(page.body).not.toContain('value="type"');
  });

  it('answers a bad link with an escaped HTML error page, or JSON when asked', async () => {
    const page = await h.request('GET', unsubscribeUrl('<b>nope</b>'));
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('This unsubscribe link does not work');
    const json = await h.request('GET', unsubscribeUrl(), { headers: asJson });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('invalid_token');
  });
});

describe('POST /v1/unsubscribe', () => {
  it('turns all email off on an RFC 8058 one-click POST with an untyped link', async () => {
    const user = await recipient();
    const response = await h.request('POST', unsubscribeUrl(tokenFor(user)), form('List-Unsubscribe=One-Click'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.body).toContain('You are unsubscribed');
    const state = await emailState(user);
    expect(state.preferences.email_enabled).toBe(false);
    expect(state.unsubscribed).toBe(true);
  });

  it('turns one type off for scope=type, leaving email on', async () => {
    const user = await recipient();
    const response = await h.request('POST', unsubscribeUrl(tokenFor(user, 'comment.created')), form('scope=type', asJson));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ unsubscribed: 'type', type: 'comment.created' });
    expect(await emailState(user)).toEqual({ preferences: { ...untouched.preferences, types: { 'comment.created': { email: false } } }, unsubscribed: false });
  });

  it('defaults a typed link to its type on one-click, and honours scope=all from the page', async () => {
    const user = await recipient();
    const token = tokenFor(user, 'digest.weekly');
    const oneClick = await h.request('POST', unsubscribeUrl(token), form('List-Unsubscribe=One-Click', asJson));
    expect(oneClick.body).toEqual({ unsubscribed: 'type', type: 'digest.weekly' });
    expect((await emailState(user)).preferences.email_enabled).toBe(true);
    const all = await h.request('POST', unsubscribeUrl(token), form('scope=all'));
    expect(all.status).toBe(200);
    expect(all.body).toContain('You will no longer receive emails from Acme &lt;Mail&gt;');
    expect(await emailState(user)).toMatchObject({ preferences: { email_enabled: false }, unsubscribed: true });
  });

  it('says what was unsubscribed, escaped', async () => {
    const user = await recipient();
    const response = await h.request('POST', unsubscribeUrl(tokenFor(user, '<img src=x>')), form('List-Unsubscribe=One-Click'));
    expect(response.body).toContain('“&lt;img src=x&gt;” emails');
    expect(response.body).not.toContain('<img');
  });

  it('answers 200 for a user who no longer exists', async () => {
    const response = await h.request('POST', unsubscribeUrl(tokenFor(uniqueId('gone'))), form('List-Unsubscribe=One-Click', asJson));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ unsubscribed: 'all' });
  });

  it('refuses a missing, forged, altered or malformed token with invalid_token and changes nothing', async () => {
    const user = await recipient();
    const genuine = tokenFor(user);
    const [payload, signature] = genuine.split('.') as [string, string];
    const altered = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const otherUser = Buffer.from(JSON.stringify({ u: 'someone-else', iat: 1 })).toString('base64url');
    const forged = signUnsubscribe('a-different-secret-of-enough-length', { userId: user });
    for (const url of [
      unsubscribeUrl(),
      unsubscribeUrl(forged),
      unsubscribeUrl(altered),
      unsubscribeUrl(`${otherUser}.${signature}`),
      unsubscribeUrl('not-a-token'),
      `${unsubscribeUrl(genuine)}&token=x`,
    ]) {
      const response = await h.request('POST', url, form('List-Unsubscribe=One-Click', asJson));
      expect(response.status, url).toBe(400);
      expect(response.body.error.code, url).toBe('invalid_token');
    }
    const page = await h.request('POST', unsubscribeUrl(forged), form('List-Unsubscribe=One-Click'));
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await emailState(user)).toEqual(untouched);
  });

  it('refuses scope=type with an untyped link', async () => {
    const user = await recipient();
    const response = await h.request('POST', unsubscribeUrl(tokenFor(user)), form('scope=type', asJson));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'scope' }] });
    expect((await h.request('POST', unsubscribeUrl(tokenFor(user)), form('scope=some', asJson))).body.error.details[0].path).toBe('scope');
    expect(await emailState(user)).toEqual(untouched);
  });
});

describe('POST /v1/webhooks/email-events', () => {
  const post = (raw: string, signature?: string) =>
    h.request('POST', '/v1/webhooks/email-events', { raw, headers: signature === undefined ? {} : { 'x-tidings-signature': signature } });
  const signed = (body: unknown) => {
    const raw = JSON.stringify(body);
    return post(raw, signWebhook(webhookSecret, raw));
  };
  const suppression = async (address: string) =>
    (await sql()<{ reason: string; detail: string | null }[]>`select reason, detail from email_suppressions where address = ${address}`)[0];

  async function sentEmail(): Promise<{ address: string; messageId: string; id: string }> {
    const user = await recipient();
    const address = `${user}@example.com`;
    const messageId = `<${uniqueId('m')}@mail.example.com>`;
    const [row] = await sql()<{ id: string }[]>`
      insert into email_logs (user_id, "to", subject, template, status, provider_message_id, dedupe_key, sent_at)
      values (${user}, ${address}, 'Hello', 'default', 'sent', ${messageId}, ${`test:${messageId}`}, now())
      returning id`;
    return { address, messageId, id: row!.id };
  }

  it('marks the email bounced and suppresses its address on a good signature', async () => {
    const email = await sentEmail();
    const response = await signed({
      events: [{ type: 'bounced', email: email.address.toUpperCase(), message_id: email.messageId, reason: 'mailbox does not exist' }],
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: 1, matched: 1 });
    const [log] = await sql()<{ status: string; error: string }[]>`select status, error from email_logs where id = ${email.id}`;
    expect(log).toEqual({ status: 'bounced', error: 'bounced: mailbox does not exist' });
    expect(await suppression(email.address)).toEqual({ reason: 'bounced', detail: 'mailbox does not exist' });
  });

  it('suppresses an address that complained', async () => {
    const email = await sentEmail();
    const other = `${uniqueId('c')}@example.com`;
    const response = await signed({
      events: [
        { type: 'complained', email: email.address, message_id: email.messageId },
        { type: 'complained', email: other },
      ],
    });
    expect(response.body).toEqual({ received: 2, matched: 1 });
    expect(await suppression(email.address)).toMatchObject({ reason: 'complained' });
    expect(await suppression(other)).toMatchObject({ reason: 'complained' });
    const [log] = await sql()<{ status: string; error: string }[]>`select status, error from email_logs where id = ${email.id}`;
    expect(log).toEqual({ status: 'sent', error: 'complained' });
  });

  it('refuses a missing, wrong or stale signature with 401 and writes nothing', async () => {
    const email = await sentEmail();
    const raw = JSON.stringify({ events: [{ type: 'bounced', email: email.address, message_id: email.messageId }] });
    const now = Math.floor(Date.now() / 1000);
    for (const signature of [
      undefined,
      '',
      signWebhook('another-secret-that-is-long-enough-000', raw),
      signWebhook(webhookSecret, `${raw} `),
      signWebhook(webhookSecret, raw, now - 301),
      signWebhook(webhookSecret, raw, now + 301),
      signWebhook(webhookSecret, raw).replace(/^t=\d+/, `t=${now - 1}`),
      `t=${now}`,
      'v1=00',
    ]) {
      const response = await post(raw, signature);
      expect(response.status, signature).toBe(401);
      expect(response.body.error.code, signature).toBe('invalid_signature');
    }
    expect(await suppression(email.address)).toBeUndefined();
    const [log] = await sql()<{ status: string }[]>`select status from email_logs where id = ${email.id}`;
    expect(log!.status).toBe('sent');
  });

  it('names the bad field of a signed body', async () => {
    const cases: [string, unknown][] = [
      ['events.0.email', { events: [{ type: 'bounced', email: 'not-an-address' }] }],
      ['events.0.type', { events: [{ type: 'delivered', email: 'a@example.com' }] }],
      ['events.0.reason', { events: [{ type: 'bounced', email: 'a@example.com', reason: 'x'.repeat(1_001) }] }],
      ['events.0.extra', { events: [{ type: 'bounced', email: 'a@example.com', extra: 1 }] }],
      ['events', { events: [] }],
      ['events', { events: Array.from({ length: 1_001 }, () => ({ type: 'bounced', email: 'a@example.com' })) }],
      ['events', {}],
    ];
    for (const [path, body] of cases) {
      const response = await signed(body);
      expect(response.status, path).toBe(400);
      expect(response.body.error.code, path).toBe('validation_failed');
      expect(
        response.body.error.details.map((d: { path: string }) => d.path),
        path,
      ).toContain(path);
    }
    const malformed = await post('{"events": [', signWebhook(webhookSecret, '{"events": ['));
    expect(malformed.body.error.code).toBe('invalid_json');
    expect(await suppression('a@example.com')).toBeUndefined();
  });
});

describe('notification type templates', () => {
  const key = () => `tpl-${uniqueId('t').toLowerCase()}`;
  const mjml = (text: string, color = '#333333') =>
    `<mjml><mj-body><mj-section><mj-column><mj-text color="${color}">${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

  it('refuses MJML that does not compile, naming the template', async () => {
    const type = key();
    const response = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { default_email: true, template: mjml('x', 'nope') } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details).toEqual([{ path: 'template', message: expect.stringMatching(/color/) }]);
    expect((await h.request('GET', `/v1/notification-types/${type}`, { token: h.service })).body).toMatchObject({ default_email: false, template: null });
    const unclosed = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: mjml('{{#data.items}}') } });
    expect(unclosed.body.error.details[0]).toMatchObject({ path: 'template', message: expect.stringMatching(/never closed/) });
  });

  it('stores MJML that compiles, and still clears a template with null', async () => {
    const type = key();
    const template = mjml('Hello {{recipient_name}}: {{title}}');
    const saved = await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template } });
    expect(saved.status).toBe(200);
    expect(saved.body.template).toBe(template);
    expect((await h.request('PUT', `/v1/notification-types/${type}`, { token: h.service, body: { template: null } })).body.template).toBeNull();
  });
});

describe('the OpenAPI document', () => {
  it('lists the email routes with their media types', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body;
    const unsubscribe = doc.paths['/v1/unsubscribe'];
    expect(unsubscribe.get.responses['200'].content).toHaveProperty(['text/html']);
    expect(unsubscribe.post.requestBody.content).toHaveProperty(['application/x-www-form-urlencoded']);
    expect(unsubscribe.post.responses['200'].content).toHaveProperty(['application/json']);
    expect(unsubscribe.post.security).toEqual([]);
    const webhook = doc.paths['/v1/webhooks/email-events'].post;
    expect(webhook.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'x-tidings-signature' })]));
    expect(webhook.responses).toHaveProperty(['401']);
    expect(doc.components.schemas).toHaveProperty('EmailEvents');
  });
});

describe('without a webhook secret', () => {
  let bare: ApiHarness;
  beforeAll(async () => {
    bare = await startHarness();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('answers 503 not_configured naming EMAIL_WEBHOOK_SECRET', async () => {
    const raw = JSON.stringify({ events: [{ type: 'bounced', email: 'a@example.com' }] });
    const response = await bare.request('POST', '/v1/webhooks/email-events', { raw, headers: { 'x-tidings-signature': signWebhook(webhookSecret, raw) } });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('not_configured');
    expect(response.body.error.message).toContain('EMAIL_WEBHOOK_SECRET');
  });

  it('rate-limits the unsubscribe routes per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= unsubscribePerMinute; i++) statuses.push((await bare.request('GET', '/v1/unsubscribe?token=x')).status);
    expect(statuses.filter((status) => status === 400)).toHaveLength(unsubscribePerMinute);
    expect(statuses.at(-1)).toBe(429);
    const limited = await bare.request('POST', '/v1/unsubscribe?token=x', { headers: asJson });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('behind a trusted proxy, limits each forwarded client address separately', async () => {
    const proxied = await startHarness({ TRUST_PROXY: 'loopback' });
    try {
      const from = (ip: string) => proxied.request('GET', '/v1/unsubscribe?token=x', { headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < unsubscribePerMinute; i++) expect((await from('203.0.113.7')).status).toBe(400);
      expect((await from('203.0.113.7')).status).toBe(429);
      expect((await from('198.51.100.9')).status).toBe(400);
    } finally {
      await proxied.close();
    }
  });
});
