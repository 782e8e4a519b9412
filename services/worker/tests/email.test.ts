import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createNotifications, markEnqueued, recordEmailEvents } from '@tidings/domain';
import { bullPrefix, maintenanceJobs, queueNames } from '@tidings/jobs';
import { createLogger } from '@tidings/server-kit';
import { eventually, TcpProxy, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from '../../api/tests/harness.ts';
import { startWorker, type RunningWorker } from '../src/main.ts';
import { SmtpSink } from './smtp-sink.ts';

let h: ApiHarness;
let worker: RunningWorker;
let sink: SmtpSink;
let smtp: TcpProxy;
let maintenance: Queue;

interface Log {
  id: string;
  status: string;
  attempts: number;
  error: string | null;
  provider_message_id: string | null;
  template: string;
  subject: string;
  kind: string;
  notification_id: string | null;
}

beforeAll(async () => {
  const deferred = new Map<string, number>();
  sink = await new SmtpSink({
    reject: (address) => address.endsWith('@rejected.test'),
    // Greylisting: the first two tries of each address are deferred.
    defer: (address) => address.endsWith('@greylist.test') && (deferred.set(address, (deferred.get(address) ?? 0) + 1).get(address) ?? 0) <= 2,
  }).start();
  smtp = new TcpProxy('127.0.0.1', sink.port);
  await smtp.start();
  h = await startHarness({
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    EMAIL_RETRY_BASE_MS: '100',
    EMAIL_MAX_ATTEMPTS: '30',
    OUTBOX_GRACE_MS: '300',
    PRODUCT_NAME: 'Acme Cloud',
    BRAND_COLOR: '#ff6600',
    FOOTER_ADDRESS: '1 Harbour Road, Dover',
  });
  worker = await startWorker(h.config, createLogger('worker', process.env.TEST_LOG_LEVEL ?? 'silent'), { port: 0, staleEmailMs: 1_000 });
  maintenance = new Queue(queueNames.maintenance, { connection: { url: h.config.REDIS_URL }, prefix: bullPrefix(h.config.REDIS_PREFIX) });
  await h.request('PUT', '/v1/notification-types/invoice', { token: h.admin, body: { default_email: true } });
  await h.request('PUT', '/v1/notification-types/security', { token: h.admin, body: { default_email: true, critical: true } });
});
afterAll(async () => {
  await maintenance?.close();
  await worker?.close();
  await h?.close();
  await smtp?.cut();
  await sink?.close();
});

async function recipient(label: string, domain = 'example.com', preferences?: Record<string, unknown>): Promise<{ id: string; address: string }> {
  const id = uniqueId(label);
  const address = `${id}@${domain}`;
  expect((await h.request('PUT', `/v1/recipients/${id}`, { token: h.service, body: { email: address, name: 'Ada <Lovelace>' } })).status).toBe(200);
  if (preferences) expect((await h.request('PUT', '/v1/preferences', { token: h.userToken(id), body: preferences })).status).toBe(200);
  return { id, address };
}

async function send(userId: string, body: Record<string, unknown> = {}): Promise<{ broadcast_id: string; notification_ids: string[] }> {
  const created = await h.request('POST', '/v1/notifications', {
    token: h.service,
    body: { to: { user_ids: [userId] }, type: 'invoice', title: 'Invoice ready', ...body },
  });
  expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
  return created.body;
}

async function logsOf(userId: string): Promise<Log[]> {
  const { sql } = h.api.deps.database;
  return sql<Log[]>`
    select id, status, attempts, error, provider_message_id, template, subject, kind, notification_id
    from email_logs where user_id = ${userId} order by queued_at, id`;
}

describe('notification emails', () => {
  it('arrive over SMTP with HTML and text parts, the branding and one-click unsubscribe headers, and are logged as sent', async () => {
    const ada = await recipient('ada');
    const created = await send(ada.id, { title: 'Invoice <script>alert(1)</script>', body: 'Total: 12 EUR\nDue in 30 days', action_url: '/invoices/42' });

    const [message] = await eventually(() => {
      expect(sink.to(ada.address)).toHaveLength(1);
      return sink.to(ada.address);
    });
    expect(message!.subject).toBe('Invoice <script>alert(1)</script>');
    expect(message!.html).toContain('Invoice &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message!.html).not.toContain('<script>');
    expect(message!.html).toContain('Acme Cloud');
    expect(message!.html).toContain('#ff6600');
    expect(message!.html).toContain('1 Harbour Road, Dover');
    expect(message!.html).toContain('http://localhost:3000/invoices/42');
    expect(message!.text).toContain('Total: 12 EUR\nDue in 30 days');
    expect(message!.text).toContain('View: http://localhost:3000/invoices/42');
    expect(message!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(message!.headers['list-unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/v1\/unsubscribe\?token=[\w.-]+>$/);

    const [log] = await eventually(async () => {
      const logs = await logsOf(ada.id);
      expect(logs[0]?.status).toBe('sent');
      return logs;
    });
    expect(log).toMatchObject({ attempts: 1, error: null, template: 'default', kind: 'notification', notification_id: created.notification_ids[0] });
    expect(log!.provider_message_id).toBe(message!.messageId);
    expect(message!.messageId).toBe(`<${log!.id}@localhost>`);

    const admin = await h.request('GET', `/v1/admin/email-logs?user_id=${ada.id}`, { token: h.admin });
    expect(admin.body.items[0]).toMatchObject({
      status: 'sent',
      to: ada.address,
      subject: 'Invoice <script>alert(1)</script>',
      broadcast_id: created.broadcast_id,
    });
  });

  it('stop after the one-click unsubscribe POST from the List-Unsubscribe header', async () => {
    const bob = await recipient('bob');
    await send(bob.id);
    const [message] = await eventually(() => {
      expect(sink.to(bob.address)).toHaveLength(1);
      return sink.to(bob.address);
    });
    const link = new URL(/^<(.+)>$/.exec(message!.headers['list-unsubscribe']!)![1]!);
    const response = await fetch(`${h.api.url}${link.pathname}${link.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    const preferences = await h.request('GET', '/v1/preferences', { token: h.userToken(bob.id) });
    expect(preferences.body.email_enabled).toBe(false);

    await send(bob.id, { title: 'After unsubscribing' });
    await send(bob.id, { type: 'security', title: 'New sign-in' }); // critical, but a global unsubscribe still wins
    // Emails are decided in the create's transaction: no log row now means no email ever.
    expect(await logsOf(bob.id)).toHaveLength(1);
    expect(sink.to(bob.address)).toHaveLength(1);
  });

  it('respect per-type opt-outs, except for critical types', async () => {
    const cy = await recipient('cy', 'example.com', { types: { invoice: { email: false }, security: { email: false } } });
    await send(cy.id, { title: 'Opted out' });
    await send(cy.id, { type: 'security', title: 'New sign-in' });
    await send(cy.id, { type: 'promo', title: 'Email off by default' });
    await eventually(() => expect(sink.to(cy.address).map((m) => m.subject)).toEqual(['New sign-in']));
    expect(await logsOf(cy.id)).toHaveLength(1);
  });

  it('reach a user who turned in-app off but kept email, with no inbox row', async () => {
    const lin = await recipient('lin', 'example.com', { in_app_enabled: false });
    await send(lin.id, { title: 'Email only' });
    await eventually(() => expect(sink.to(lin.address).map((m) => m.subject)).toEqual(['Email only']));
    expect((await h.request('GET', '/v1/notifications', { token: h.userToken(lin.id) })).body.items).toEqual([]);
    expect((await logsOf(lin.id))[0]).toMatchObject({ notification_id: null, status: 'sent' });
  });

  it('fail at once with the reason on a permanent (5xx) refusal', async () => {
    const dee = await recipient('dee', 'rejected.test');
    await send(dee.id);
    const [log] = await eventually(async () => {
      const logs = await logsOf(dee.id);
      expect(logs[0]?.status).toBe('failed');
      return logs;
    });
    expect(log!.attempts).toBe(1);
    expect(log!.error).toMatch(/550.*mailbox unavailable/);
  });

  it('are retried after a temporary (4xx) refusal, then sent once', async () => {
    const gil = await recipient('gil', 'greylist.test');
    await send(gil.id);
    await eventually(async () => expect((await logsOf(gil.id))[0]).toMatchObject({ status: 'sent', attempts: 3, error: null }), 10_000);
    expect(sink.to(gil.address)).toHaveLength(1);
  });

  it('are retried with backoff while the SMTP server is down, then sent once', async () => {
    const eve = await recipient('eve');
    await smtp.cut();
    try {
      await send(eve.id);
      await eventually(async () => {
        const [log] = await logsOf(eve.id);
        expect(log?.status).toBe('queued');
        expect(log?.attempts).toBeGreaterThanOrEqual(2);
        expect(log?.error).toMatch(/ECONNREFUSED|connect/i);
      }, 10_000);
    } finally {
      await smtp.restore();
    }
    await eventually(async () => expect((await logsOf(eve.id))[0]?.status).toBe('sent'), 15_000);
    expect(sink.to(eve.address)).toHaveLength(1);
  });

  it('are not sent to a suppressed address, and logged as suppressed', async () => {
    const fay = await recipient('fay');
    await recordEmailEvents(h.api.deps.database.sql, [{ type: 'bounced', email: fay.address.toUpperCase(), reason: 'mailbox full' }]);
    await send(fay.id);
    const [log] = await eventually(async () => {
      const logs = await logsOf(fay.id);
      expect(logs[0]?.status).toBe('suppressed');
      return logs;
    });
    expect(log!.error).toBe('address is on the suppression list');
    expect(log!.attempts).toBe(0);
    expect(sink.to(fay.address)).toHaveLength(0);
  });

  it('mark a sent email bounced from the provider report', async () => {
    const gus = await recipient('gus');
    await send(gus.id);
    const [log] = await eventually(async () => {
      const logs = await logsOf(gus.id);
      expect(logs[0]?.status).toBe('sent');
      return logs;
    });
    const matched = await recordEmailEvents(h.api.deps.database.sql, [
      { type: 'bounced', email: gus.address, messageId: log!.provider_message_id!, reason: '5.1.1 no such user' },
    ]);
    expect(matched).toBe(1);
    expect((await logsOf(gus.id))[0]).toMatchObject({ status: 'bounced', error: 'bounced: 5.1.1 no such user' });
  });

  it('still go out when the send committed but never reached the queue', async () => {
    const hal = await recipient('hal');
    // As if the API died right after its commit: the email is queued in Postgres only.
    const nowhere = { enqueue: async () => {} };
    await createNotifications({ ...h.api.deps.create, emailOutbox: nowhere }, { createdBy: 'test', input: createInput(hal.id, 'Committed, not enqueued') });
    expect((await logsOf(hal.id))[0]?.status).toBe('queued');
    await eventually(() => expect(sink.to(hal.address).map((m) => m.subject)).toEqual(['Committed, not enqueued']), 15_000);
  });

  it('still go out when their job was lost after it was enqueued (Redis restarted without persistence)', async () => {
    const kim = await recipient('kim');
    const { sql } = h.api.deps.database;
    // Marked enqueued, but no job ever reaches Redis: what a Redis restart does to a waiting job.
    const lose = { enqueue: (logIds: readonly string[]) => markEnqueued(sql, logIds) };
    await createNotifications({ ...h.api.deps.create, emailOutbox: lose }, { createdBy: 'test', input: createInput(kim.id, 'Job lost') });
    await eventually(() => expect(sink.to(kim.address).map((m) => m.subject)).toEqual(['Job lost']), 15_000);
    expect((await logsOf(kim.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('of a scheduled send go out at its release, not before', async () => {
    const ivy = await recipient('ivy');
    await send(ivy.id, { title: 'Later', send_at: new Date(Date.now() + 1_200).toISOString() });
    // Decided at release, with the preferences of that moment: nothing exists before it.
    expect(await logsOf(ivy.id)).toHaveLength(0);
    await eventually(() => expect(sink.to(ivy.address).map((m) => m.subject)).toEqual(['Later']), 5_000);
  });
});

describe('worker metrics', () => {
  it('count emails by outcome, time the SMTP sends and show the email queue depth', async () => {
    const text = await (await fetch(`${worker.url}/metrics`)).text();
    expect(text).toMatch(/^tidings_email_sent_total\{status="sent"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^tidings_email_sent_total\{status="failed"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^tidings_email_send_duration_seconds_count\{[^}]*\} [1-9]/m);
    expect(text).toMatch(/^tidings_queue_depth\{queue="email"[^}]*\} \d+/m);
  });
});

describe('digests', () => {
  it('batch a digest user’s emails into one message listing what is still unread, critical ones going out at once', async () => {
    const jo = await recipient('jo', 'example.com', { digest: 'daily' });
    const token = h.userToken(jo.id);
    await send(jo.id, { title: 'First invoice' });
    const read = await send(jo.id, { title: 'Already read' });
    await send(jo.id, { title: 'Second <b>invoice</b>', action_url: 'https://billing.example.com/2' });
    await send(jo.id, { type: 'security', title: 'New sign-in' });
    await send(jo.id, { type: 'promo', title: 'Not an email type' });
    expect((await h.request('POST', `/v1/notifications/${read.notification_ids[0]}/read`, { token })).status).toBe(204);

    await eventually(() => expect(sink.to(jo.address).map((m) => m.subject)).toEqual(['New sign-in']));
    expect((await logsOf(jo.id)).map((log) => log.kind)).toEqual(['notification']);

    await maintenance.add(maintenanceJobs.digestDaily, {});
    const digest = await eventually(() => {
      const messages = sink.to(jo.address);
      expect(messages).toHaveLength(2);
      return messages[1]!;
    });
    expect(digest.subject).toBe('Your daily Acme Cloud digest: 2 new notifications');
    expect(digest.html).toContain('First invoice');
    expect(digest.html).toContain('Second &lt;b&gt;invoice&lt;/b&gt;');
    expect(digest.html).toContain('https://billing.example.com/2');
    for (const absent of ['Already read', 'New sign-in', 'Not an email type']) expect(digest.html).not.toContain(absent);
    expect(digest.text).toContain('- First invoice');
    expect(digest.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    await eventually(async () =>
      expect((await logsOf(jo.id)).map((log) => [log.kind, log.status])).toEqual([
        ['notification', 'sent'],
        ['digest', 'sent'],
      ]),
    );

    // The next run covers only what came after this one.
    await maintenance.add(maintenanceJobs.digestDaily, {});
    await send(jo.id, { title: 'Third invoice' });
    await maintenance.add(maintenanceJobs.digestDaily, {});
    const next = await eventually(() => {
      const messages = sink.to(jo.address);
      expect(messages).toHaveLength(3);
      return messages[2]!;
    });
    expect(next.subject).toBe('Your daily Acme Cloud digest: 1 new notification');
    expect(next.html).toContain('Third invoice');
    expect(next.html).not.toContain('First invoice');
  });

  it('leave weekly users to the weekly run', async () => {
    const kit = await recipient('kit', 'example.com', { digest: 'weekly' });
    await send(kit.id, { title: 'Weekly item' });
    const daily = await maintenance.add(maintenanceJobs.digestDaily, {});
    await eventually(async () => expect(await daily.isCompleted()).toBe(true));
    expect(await logsOf(kit.id)).toHaveLength(0);
    await maintenance.add(maintenanceJobs.digestWeekly, {});
    await eventually(() => expect(sink.to(kit.address).map((m) => m.subject)).toEqual(['Your weekly Acme Cloud digest: 1 new notification']));
  });
});

function createInput(userId: string, title: string) {
  return {
    to: { user_ids: [userId] },
    type: 'invoice',
    title,
    body: '',
    data: {},
    icon: null,
    action_url: null,
    priority: 'normal' as const,
    send_at: null,
  };
}
