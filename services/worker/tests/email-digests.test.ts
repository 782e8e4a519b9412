import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { maintenanceJobs } from '@tidings/jobs';
import { eventually } from '@tidings/test-support';
import type { ApiHarness } from '../../api/tests/harness.ts';
import { EmailStack } from './email-stack.ts';
import type { SmtpSink } from './smtp-sink.ts';

const stack = new EmailStack();
const { recipient, send, logsOf } = stack;
let h: ApiHarness;
let sink: SmtpSink;
let maintenance: Queue;

beforeAll(async () => {
  ({ h, sink, maintenance } = await stack.start());
});
afterAll(async () => {
  await stack.close();
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
