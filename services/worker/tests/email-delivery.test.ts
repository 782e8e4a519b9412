import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifications, markEnqueued, recordEmailEvents } from '@tidings/domain';
import { eventually, type TcpProxy } from '@tidings/test-support';
import type { ApiHarness } from '../../api/tests/harness.ts';
import type { RunningWorker } from '../src/main.ts';
import { EmailStack } from './email-stack.ts';
import type { SmtpSink } from './smtp-sink.ts';

const stack = new EmailStack();
const { recipient, send, logsOf } = stack;
let h: ApiHarness;
let worker: RunningWorker;
let sink: SmtpSink;
let smtp: TcpProxy;

beforeAll(async () => {
  ({ h, worker, sink, smtp } = await stack.start());
});
afterAll(async () => {
  await stack.close();
});

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
