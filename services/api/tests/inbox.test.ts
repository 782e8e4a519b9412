import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function notify(userIds: string[], extra: Record<string, unknown> = {}) {
  const response = await h.request('POST', '/v1/notifications', {
    token: h.service,
    body: { to: { user_ids: userIds }, type: 'comment.created', title: 'New comment', body: 'Bob replied', ...extra },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { broadcast_id: string; recipient_count: number; notification_ids: string[] };
}

describe('a user inbox', () => {
  it('shows created notifications newest first with the contract shape', async () => {
    const alice = uniqueId('alice');
    await notify([alice], { title: 'first', data: { post: 7 }, icon: 'https://cdn.example/i.png', action_url: '/posts/7', priority: 'high' });
    await notify([alice], { title: 'second' });
    const list = await h.request('GET', '/v1/notifications', { token: h.userToken(alice) });
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { title: string }) => n.title)).toEqual(['second', 'first']);
    expect(list.body.items[1]).toEqual({
      id: expect.any(String),
      user_id: alice,
      seq: 1,
      type: 'comment.created',
      title: 'first',
      body: 'Bob replied',
      data: { post: 7 },
      icon: 'https://cdn.example/i.png',
      action_url: '/posts/7',
      priority: 'high',
      is_read: false,
      read_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(list.body.next_cursor).toBeNull();
  });

  it('pages with a cursor and filters by type and unread', async () => {
    const bob = uniqueId('bob');
    for (let i = 1; i <= 5; i++) await notify([bob], { title: `n${i}`, type: i % 2 ? 'odd' : 'even' });
    const token = h.userToken(bob);
    const first = await h.request('GET', '/v1/notifications?limit=2', { token });
    expect(first.body.items.map((n: { title: string }) => n.title)).toEqual(['n5', 'n4']);
    const second = await h.request('GET', `/v1/notifications?limit=2&cursor=${first.body.next_cursor}`, { token });
    expect(second.body.items.map((n: { title: string }) => n.title)).toEqual(['n3', 'n2']);
    const third = await h.request('GET', `/v1/notifications?limit=2&cursor=${second.body.next_cursor}`, { token });
    expect(third.body.items.map((n: { title: string }) => n.title)).toEqual(['n1']);
    expect(third.body.next_cursor).toBeNull();

    const odd = await h.request('GET', '/v1/notifications?type=odd', { token });
    expect(odd.body.items.map((n: { title: string }) => n.title)).toEqual(['n5', 'n3', 'n1']);

    await h.request('POST', `/v1/notifications/${odd.body.items[0].id}/read`, { token });
    const unread = await h.request('GET', '/v1/notifications?unread_only=true', { token });
    expect(unread.body.items.map((n: { title: string }) => n.title)).toEqual(['n4', 'n3', 'n2', 'n1']);
  });

  it('tracks read state, unread count, read-all by type and soft delete', async () => {
    const carol = uniqueId('carol');
    const token = h.userToken(carol);
    const [a] = (await notify([carol], { type: 'billing' })).notification_ids;
    const [b] = (await notify([carol], { type: 'social' })).notification_ids;
    await notify([carol], { type: 'social' });
    const count = async () => (await h.request('GET', '/v1/notifications/unread-count', { token })).body.count;
    expect(await count()).toBe(3);

    expect((await h.request('POST', `/v1/notifications/${a}/read`, { token })).status).toBe(204);
    expect((await h.request('POST', `/v1/notifications/${a}/read`, { token })).status).toBe(204);
    const read = await h.request('GET', `/v1/notifications/${a}`, { token });
    expect(read.body).toMatchObject({ is_read: true, read_at: expect.any(String) });
    expect(await count()).toBe(2);

    expect((await h.request('POST', `/v1/notifications/${a}/unread`, { token })).status).toBe(204);
    expect((await h.request('GET', `/v1/notifications/${a}`, { token })).body).toMatchObject({ is_read: false, read_at: null });

    const social = await h.request('POST', '/v1/notifications/read-all', { token, body: { type: 'social' } });
    expect(social.body).toEqual({ updated: 2 });
    expect(await count()).toBe(1);
    expect((await h.request('POST', '/v1/notifications/read-all', { token })).body).toEqual({ updated: 1 });
    expect(await count()).toBe(0);

    expect((await h.request('DELETE', `/v1/notifications/${b}`, { token })).status).toBe(204);
    expect((await h.request('GET', `/v1/notifications/${b}`, { token })).status).toBe(404);
    expect((await h.request('DELETE', `/v1/notifications/${b}`, { token })).status).toBe(404);
    const list = await h.request('GET', '/v1/notifications', { token });
    expect(list.body.items.map((n: { id: string }) => n.id)).not.toContain(b);
    expect(list.body.items).toHaveLength(2);
  });

  it("answers 404 for another user's notification, whatever the verb", async () => {
    const owner = uniqueId('owner');
    const intruder = h.userToken(uniqueId('intruder'));
    const [id] = (await notify([owner])).notification_ids;
    for (const [method, path] of [
      ['GET', `/v1/notifications/${id}`],
      ['POST', `/v1/notifications/${id}/read`],
      ['POST', `/v1/notifications/${id}/unread`],
      ['DELETE', `/v1/notifications/${id}`],
    ] as const) {
      const response = await h.request(method, path, { token: intruder });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    const mine = await h.request('GET', `/v1/notifications/${id}`, { token: h.userToken(owner) });
    expect(mine.body.is_read).toBe(false);
  });

  it('sends to roles and to everyone, and answers notification ids in recipient order', async () => {
    const role = uniqueId('role').replace(/-/g, '_');
    const [x, y, z] = [uniqueId('x'), uniqueId('y'), uniqueId('z')];
    await h.request('PUT', `/v1/recipients/${x}`, { token: h.service, body: { roles: [role] } });
    await h.request('PUT', `/v1/recipients/${y}`, { token: h.service, body: { roles: [role, 'other'] } });
    await h.request('PUT', `/v1/recipients/${z}`, { token: h.service, body: { roles: ['other'] } });
    const toRole = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { roles: [role] }, type: 'team', title: 'Standup' } });
    expect(toRole.status).toBe(201);
    expect(toRole.body.recipient_count).toBe(2);
    expect((await h.request('GET', '/v1/notifications', { token: h.userToken(z) })).body.items).toHaveLength(0);

    const ordered = await notify([z, x, y, x]);
    expect(ordered.recipient_count).toBe(3);
    const owners = await Promise.all(
      ordered.notification_ids.map(async (id, index) => {
        const user = [z, x, y][index]!;
        return (await h.request('GET', `/v1/notifications/${id}`, { token: h.userToken(user) })).status;
      }),
    );
    expect(owners).toEqual([200, 200, 200]);

    const everyone = await h.request('POST', '/v1/notifications', { token: h.admin, body: { to: { all: true }, type: 'maintenance', title: 'Down at 2am' } });
    expect(everyone.status).toBe(201);
    const stats = await h.request('GET', '/v1/admin/stats', { token: h.admin });
    expect(everyone.body.recipient_count).toBe(stats.body.recipients);
  });

  it('holds scheduled notifications out of the inbox and answers 202', async () => {
    const dave = uniqueId('dave');
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const response = await h.request('POST', '/v1/notifications', {
      token: h.service,
      body: { to: { user_ids: [dave] }, type: 'reminder', title: 'Later', send_at: sendAt },
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'scheduled', recipient_count: 1 });
    const token = h.userToken(dave);
    expect((await h.request('GET', '/v1/notifications', { token })).body.items).toEqual([]);
    expect((await h.request('GET', '/v1/notifications/unread-count', { token })).body.count).toBe(0);
    expect((await h.request('GET', `/v1/notifications/${response.body.notification_ids[0]}`, { token })).status).toBe(404);
    // A notification sent now still gets seq 1: held rows take a seq only when released.
    await notify([dave]);
    expect((await h.request('GET', '/v1/notifications', { token })).body.items[0].seq).toBe(1);
  });
});
