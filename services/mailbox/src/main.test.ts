import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmailRenderer, Mailer, signUnsubscribe, unsubscribeHeaders, unsubscribeUrl } from '@tidings/email';
import { startMailbox, type Mailbox } from './main.ts';

let mailbox: Mailbox;
let base: string;

beforeAll(async () => {
  mailbox = await startMailbox({ smtpPort: 0, httpPort: 0, limit: 3 });
  base = `http://127.0.0.1:${mailbox.httpPort}`;
});

afterAll(async () => {
  await mailbox.close();
});

beforeEach(async () => {
  await fetch(`${base}/api/messages`, { method: 'DELETE' });
});

/** Sends one message with plain nodemailer (no pool), the way any SMTP client would. */
async function sendRaw(message: { subject: string; html?: string; text?: string; to?: string; headers?: Record<string, string> }) {
  const transport = createTransport({ host: '127.0.0.1', port: mailbox.smtpPort, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ from: 'Tidings <notifications@tidings.test>', to: message.to ?? 'alice@example.test', ...message });
  } finally {
    transport.close();
  }
}

interface ApiMessage {
  id: string;
  from: string;
  to: string;
  subject: string;
  date: string;
  envelope: { from: string | null; to: string[] };
  headers: Record<string, string>;
  html: string | null;
  text: string | null;
}

async function apiMessages(): Promise<ApiMessage[]> {
  const res = await fetch(`${base}/api/messages`);
  expect(res.status).toBe(200);
  return (await res.json()) as ApiMessage[];
}

describe('dev mailbox', () => {
  it('keeps a message sent by the real Mailer and shows it over /api/messages', async () => {
    const secret = 'mailbox-test-secret-0123456789';
    const link = unsubscribeUrl('http://localhost:3000', signUnsubscribe(secret, { userId: 'alice', type: 'comment.created' }));
    const renderer = new EmailRenderer({
      branding: { productName: 'Tidings', color: '#0f766e', footerAddress: 'Nowhere 1', publicUrl: 'http://localhost:3000' },
    });
    const email = await renderer.render({
      type: 'comment.created',
      title: 'Ann replied <script>x()</script>',
      body: 'Looks good',
      actionUrl: '/c/1',
      unsubscribeUrl: link,
    });
    const mailer = new Mailer({ url: `smtp://127.0.0.1:${mailbox.smtpPort}`, from: 'Tidings <notifications@tidings.test>' });
    try {
      const sent = await mailer.send({ to: 'Alice <alice@example.test>', ...email, headers: unsubscribeHeaders(link) });
      const [message, ...rest] = await apiMessages();
      expect(rest).toHaveLength(0);
      expect(message).toMatchObject({
        from: '"Tidings" <notifications@tidings.test>',
        to: '"Alice" <alice@example.test>',
        subject: 'Ann replied <script>x()</script>',
        envelope: { from: 'notifications@tidings.test', to: ['alice@example.test'] },
      });
      expect(message!.headers['message-id']).toBe(sent.messageId);
      expect(message!.headers['list-unsubscribe']).toBe(`<${link}>`);
      expect(message!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(message!.html).toContain('href="http://localhost:3000/c/1"');
      expect(message!.text).toContain('View: http://localhost:3000/c/1');
      expect(Number.isNaN(Date.parse(message!.date))).toBe(false);
    } finally {
      mailer.close();
    }
  });

  it('lists messages newest first and keeps only the last `limit`', async () => {
    for (const n of [1, 2, 3, 4]) await sendRaw({ subject: `message ${n}`, text: `body ${n}` });
    const messages = await apiMessages();
    expect(messages.map((message) => message.subject)).toEqual(['message 4', 'message 3', 'message 2']);
    expect(messages[0]!.html).toBeNull();
    const page = await (await fetch(`${base}/`)).text();
    expect(page.indexOf('message 4')).toBeLessThan(page.indexOf('message 3'));
    expect(page).not.toContain('message 1');
  });

  it('shows everything escaped, and the HTML only inside a sandboxed srcdoc iframe', async () => {
    const hostile = '<script>alert("html")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>';
    await sendRaw({ subject: '<script>alert("subject")</script>', html: hostile, text: '<b>text & more</b>', to: '"<img src=x>" <bob@example.test>' });
    const [message] = await apiMessages();

    const list = await fetch(`${base}/`);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listHtml = await list.text();
    expect(listHtml).not.toContain('<script>');
    expect(listHtml).not.toContain('<img src=x');
    expect(listHtml).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');

    const page = await fetch(`${base}/messages/${message!.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/<script|<img src=x|<a href="javascript/);
    const iframe = /<iframe sandbox="" [^>]*srcdoc="([^"]*)"><\/iframe>/.exec(html);
    expect(iframe).not.toBeNull();
    expect(iframe![1]).toContain('&lt;script&gt;alert(&quot;html&quot;)&lt;/script&gt;');
    expect(html).toContain('<pre>&lt;b&gt;text &amp; more&lt;/b&gt;</pre>');
    expect(html).toContain('<dt>subject</dt><dd>&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;</dd>');
    expect(html).toContain('&lt;img src=x&gt;');

    expect((await fetch(`${base}/messages/9999`)).status).toBe(404);
    expect((await fetch(`${base}/api/messages/${message!.id}`)).status).toBe(200);
  });

  it("clears all messages with DELETE /api/messages and with the page's button", async () => {
    await sendRaw({ subject: 'to be cleared', text: 'x' });
    expect(await apiMessages()).toHaveLength(1);
    const cleared = await fetch(`${base}/api/messages`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(await apiMessages()).toEqual([]);

    await sendRaw({ subject: 'again', text: 'x' });
    const button = await fetch(`${base}/clear`, { method: 'POST', redirect: 'manual' });
    expect(button.status).toBe(303);
    expect(await apiMessages()).toEqual([]);
    expect(await (await fetch(`${base}/`)).text()).toContain('No messages yet');
  });

  it('answers /healthz, /readyz and /metrics like every service', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: {} });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_cpu_user_seconds_total{service="mailbox"}');
    expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers 404 and 405 as JSON', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const wrong = await fetch(`${base}/api/messages`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, DELETE');
  });
});
