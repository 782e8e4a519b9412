import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribe } from '@tidings/email';
import { uniqueId } from '@tidings/test-support';
import { newRecipient, startEmailHarness } from './email-harness.ts';
import type { ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startEmailHarness();
});
afterAll(async () => {
  await h?.close();
});

const sql = () => h.api.deps.database.sql;
const recipient = () => newRecipient(h);
const tokenFor = (userId: string, type?: string) => signUnsubscribe(h.config.UNSUBSCRIBE_SECRET, { userId, type });
const unsubscribeUrl = (token?: string) => (token === undefined ? '/v1/unsubscribe' : `/v1/unsubscribe?${new URLSearchParams({ token })}`);
const asJson = { accept: 'application/json' };
const form = (fields: string, headers: Record<string, string> = {}) => ({
  raw: fields,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

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
