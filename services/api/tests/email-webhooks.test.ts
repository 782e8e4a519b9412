import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { signWebhook } from '../src/http/webhook-signature.ts';
import { unsubscribePerMinute } from '../src/routes/unsubscribe.ts';
import { newRecipient, startEmailHarness, webhookSecret } from './email-harness.ts';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startEmailHarness();
});
afterAll(async () => {
  await h?.close();
});

const sql = () => h.api.deps.database.sql;
const recipient = () => newRecipient(h);
const asJson = { accept: 'application/json' };

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
