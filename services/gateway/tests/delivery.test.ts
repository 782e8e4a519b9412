import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { startCluster, TestSocket, type Cluster } from './cluster.ts';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({ OFFLINE_QUEUE_SIZE: '50', BROADCAST_THRESHOLD: '3' });
});
afterAll(async () => {
  await c?.close();
});

const notify = (userIds: string[], title: string, extra: Record<string, unknown> = {}) =>
  c.h.request('POST', '/v1/notifications', { token: c.h.service, body: { to: { user_ids: userIds }, type: 'chat', title, ...extra } });

describe('live delivery across gateways', () => {
  it('reaches two tabs on gateway A and a phone on gateway B, in seq order; reading on the phone updates the tabs', async () => {
    const alice = uniqueId('alice');
    const token = c.h.userToken(alice);
    const [a, b] = c.gateways;
    const tab1 = new TestSocket(a!.url, { token });
    const tab2 = new TestSocket(a!.url, { token, protocol: true });
    const phone = new TestSocket(b!.url, { token });
    for (const socket of [tab1, tab2, phone]) {
      const hello = await socket.established();
      expect(hello).toMatchObject({ user_id: alice, last_seq: 0, unread_count: 0, heartbeat_ms: expect.any(Number) });
    }
    expect(tab2.protocol).toBe(`bearer.${token}`);
    for (let i = 1; i <= 5; i++) await notify([alice], `m${i}`);
    for (const socket of [tab1, tab2, phone]) {
      await socket.waitFor(() => socket.seqs().length === 5);
      expect(socket.seqs()).toEqual([1, 2, 3, 4, 5]);
    }
    const first = phone.notifications()[0]!.notification;
    expect(first).toMatchObject({ title: 'm1', type: 'chat', is_read: false, priority: 'normal' });

    phone.send({ type: 'mark_read', ids: [first.id] });
    for (const socket of [tab1, tab2, phone]) {
      await socket.waitFor((frames) => frames.some((f) => f.type === 'notification_read'));
      await socket.waitFor((frames) => frames.some((f) => f.type === 'unread_count' && f.count === 4));
      expect(socket.frames.find((f) => f.type === 'notification_read')!.ids).toEqual([first.id]);
    }
    await c.h.request('POST', '/v1/notifications/read-all', { token });
    await tab1.waitFor((frames) => frames.some((f) => f.type === 'all_read') && frames.at(-1)?.type === 'unread_count' && frames.at(-1)?.count === 0);
    for (const socket of [tab1, tab2, phone]) socket.close();
  });

  it('bulk read and bulk delete over REST reach every connection of the user on both gateways, and a resume skips what was deleted', async () => {
    const user = uniqueId('bulk');
    const token = c.h.userToken(user);
    const [a, b] = c.gateways;
    const tab = new TestSocket(a!.url, { token });
    const phone = new TestSocket(b!.url, { token });
    await Promise.all([tab.established(), phone.established()]);
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) ids.push((await notify([user], `b${i}`)).body.notification_ids[0]);
    await Promise.all([tab, phone].map((socket) => socket.waitFor(() => socket.seqs().length === 4)));

    const read = await c.h.request('POST', '/v1/notifications/read', { token, body: { ids: [ids[0], ids[1], ids[2]] } });
    expect(read.body).toEqual({ updated: 3 });
    for (const socket of [tab, phone]) {
      await socket.waitFor((frames) => frames.some((f) => f.type === 'unread_count' && f.count === 1));
      expect([...socket.frames.find((f) => f.type === 'notification_read')!.ids].sort()).toEqual([ids[0], ids[1], ids[2]].sort());
    }
    const deleted = await c.h.request('POST', '/v1/notifications/delete', { token, body: { all_read: true } });
    expect(deleted.body).toEqual({ deleted: 3 });
    const removed = await c.h.request('POST', '/v1/notifications/delete', { token, body: { ids: [ids[3]] } });
    expect(removed.body).toEqual({ deleted: 1 });
    for (const socket of [tab, phone]) {
      await socket.waitFor(
        (frames) =>
          frames.filter((f) => f.type === 'notification_deleted').length === 2 && frames.at(-1)?.type === 'unread_count' && frames.at(-1)?.count === 0,
      );
      const deletions = socket.frames.filter((f) => f.type === 'notification_deleted').map((f) => [...f.ids].sort());
      expect(deletions).toEqual([[ids[0], ids[1], ids[2]].sort(), [ids[3]]]);
    }
    tab.close();
    phone.close();

    await notify([user], 'b5');
    const resumed = new TestSocket(a!.url, { token, since: 0 });
    await resumed.waitFor((frames) => frames.some((f) => f.type === 'resume_complete'));
    expect(resumed.seqs()).toEqual([5]);
    resumed.close();
  });

  it('delivers a broadcast once per connection through the broadcast channel', async () => {
    const users = Array.from({ length: 6 }, () => uniqueId('bc'));
    const sockets = users.map((user, i) => new TestSocket(c.gateways[i % 2]!.url, { token: c.h.userToken(user) }));
    await Promise.all(sockets.map((s) => s.established()));
    const response = await notify(users, 'everyone');
    expect(response.status).toBe(201);
    for (const [i, socket] of sockets.entries()) {
      await socket.waitFor(() => socket.seqs().length === 1);
      expect(socket.notifications()[0]!.notification).toMatchObject({ id: response.body.notification_ids[i], seq: 1, title: 'everyone' });
    }
    sockets.forEach((s) => s.close());
  });

  it('filters live delivery by subscribed types', async () => {
    const user = uniqueId('sub');
    const socket = new TestSocket(c.gateways[0]!.url, { token: c.h.userToken(user) });
    await socket.established();
    socket.send({ type: 'subscribe', types: ['billing'] });
    await socket.waitFor((frames) => frames.some((f) => f.type === 'subscription_updated'));
    expect(socket.frames.find((f) => f.type === 'subscription_updated')!.types).toEqual(['billing']);
    await notify([user], 'chatty');
    await notify([user], 'invoice', { type: 'billing' });
    await socket.waitFor(() => socket.seqs().length === 1);
    expect(socket.notifications()[0]!.notification.type).toBe('billing');
    socket.send({ type: 'unsubscribe', types: ['billing'] });
    await notify([user], 'chatty again');
    await socket.waitFor(() => socket.seqs().length === 2);
    socket.close();
  });
});

describe('resume', () => {
  it('replays 500 pending notifications (more than the offline queue) in order, then goes live without duplicates', async () => {
    const user = uniqueId('offline');
    const token = c.h.userToken(user);
    for (let i = 0; i < 500; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => notify([user], `n${i + j}`)));
    }
    const socket = new TestSocket(c.gateways[1]!.url, { token, since: 0 });
    await socket.waitFor((frames) => frames.some((f) => f.type === 'resume_complete'));
    expect(socket.seqs()).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(socket.frames.find((f) => f.type === 'resume_complete')).toEqual({ type: 'resume_complete', count: 500, last_seq: 500 });
    await notify([user], 'live');
    await socket.waitFor(() => socket.seqs().length === 501);
    expect(socket.seqs().at(-1)).toBe(501);
    socket.close();
  });

  it('replays from the offline queue and skips deleted notifications', async () => {
    const user = uniqueId('resume');
    const token = c.h.userToken(user);
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push((await notify([user], `r${i}`)).body.notification_ids[0]);
    await c.h.request('DELETE', `/v1/notifications/${ids[3]}`, { token });
    const socket = new TestSocket(c.gateways[0]!.url, { token, since: 2 });
    await socket.waitFor((frames) => frames.some((f) => f.type === 'resume_complete'));
    expect(socket.seqs()).toEqual([3, 5, 6]);
    expect(socket.frames.find((f) => f.type === 'resume_complete')).toMatchObject({ count: 3, last_seq: 6 });

    socket.send({ type: 'resume', since: 4 });
    await socket.waitFor((frames) => frames.filter((f) => f.type === 'resume_complete').length === 2);
    expect(socket.seqs()).toEqual([3, 5, 6, 5, 6]);
    socket.close();
  });

  it('holds live frames during a replay so none arrives out of order or twice', async () => {
    const user = uniqueId('race');
    const token = c.h.userToken(user);
    for (let i = 0; i < 200; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => notify([user], `old${i + j}`)));
    const socket = new TestSocket(c.gateways[0]!.url, { token, since: 0 });
    const live = (async () => {
      for (let i = 0; i < 30; i++) await notify([user], `new${i}`);
    })();
    await live;
    await socket.waitFor(() => socket.seqs().length >= 230);
    // A marker sent last: once it is in, any copy of an earlier one would be too.
    await notify([user], 'marker');
    await socket.waitFor(() => socket.seqs().includes(231));
    expect(socket.seqs()).toEqual(Array.from({ length: 231 }, (_, i) => i + 1));
    socket.close();
  });
});
