import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBroker, channelsFor } from '@tidings/cluster';
import { busEventSchema, type BusEvent } from '@tidings/protocol';
import { createLogger, createRedis } from '@tidings/server-kit';
import { eventually, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
let broker: RedisBroker;
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  h = await startHarness({ BROADCAST_THRESHOLD: '3' });
  const url = h.config.REDIS_URL;
  broker = new RedisBroker(createRedis(url, logger, { name: 'test-pub' }), () => createRedis(url, logger, { name: 'test-sub' }), logger);
});
afterAll(async () => {
  await broker?.close();
  await h?.close();
});

/** Collects what the API publishes on a channel, parsed against the bus schema. */
async function listen(channel: string): Promise<BusEvent[]> {
  const events: BusEvent[] = [];
  await broker.subscribe(channel, (payload) => events.push(busEventSchema.parse(JSON.parse(payload))));
  return events;
}

describe('sequence numbers', () => {
  it('gives 200 concurrent creates for one user exactly seq 1..200', async () => {
    const user = uniqueId('seq');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'load', title: `n${i}` } }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const seqs = (await h.api.deps.database.sql<{ seq: string }[]>`select seq from notifications where user_id = ${user} order by seq`).map((r) =>
      Number(r.seq),
    );
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const recipient = await h.request('GET', `/v1/recipients/${user}`, { token: h.service });
    expect(recipient.body.last_seq).toBe(200);
  });

  it('keeps seqs gapless when overlapping multi-user sends race (no deadlock)', async () => {
    const users = Array.from({ length: 6 }, () => uniqueId('race'));
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const picked = i % 2 === 0 ? users : [...users].reverse();
        return h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: picked }, type: 'race', title: `r${i}` } });
      }),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    for (const user of users) {
      const seqs = (await h.api.deps.database.sql<{ seq: string }[]>`select seq from notifications where user_id = ${user} order by seq`).map((r) =>
        Number(r.seq),
      );
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
  });
});

describe('idempotency keys', () => {
  it('turns 50 concurrent identical requests into one row and identical answers', async () => {
    const user = uniqueId('idem');
    const key = uniqueId('key');
    const body = { to: { user_ids: [user] }, type: 'invoice', title: 'Invoice ready', data: { amount: 42 } };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => h.request('POST', '/v1/notifications', { token: h.service, body, headers: { 'Idempotency-Key': key } })),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const [row] = await h.api.deps.database.sql<{ count: number }[]>`select count(*)::int as count from notifications where user_id = ${user}`;
    expect(row!.count).toBe(1);
  });

  it('refuses the same key with a different body with 422 and writes nothing', async () => {
    const user = uniqueId('idem');
    const key = uniqueId('key');
    const send = (title: string) =>
      h.request('POST', '/v1/notifications', {
        token: h.service,
        body: { to: { user_ids: [user] }, type: 'invoice', title },
        headers: { 'Idempotency-Key': key },
      });
    expect((await send('one')).status).toBe(201);
    const reused = await send('two');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const titles = (await h.request('GET', '/v1/notifications', { token: h.userToken(user) })).body.items.map((n: { title: string }) => n.title);
    expect(titles).toEqual(['one']);
  });

  it('replays the stored answer later, for a scheduled send too', async () => {
    const key = uniqueId('key');
    const body = { to: { user_ids: [uniqueId('a'), uniqueId('b')] }, type: 'digest', title: 'Soon', send_at: new Date(Date.now() + 60_000).toISOString() };
    const first = await h.request('POST', '/v1/notifications', { token: h.service, body, headers: { 'Idempotency-Key': key } });
    const again = await h.request('POST', '/v1/notifications', { token: h.service, body, headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
  });
});

describe('publishing to Redis', () => {
  it('publishes one event per user on each user channel, then marks rows published', async () => {
    const [a, b] = [uniqueId('pa'), uniqueId('pb')];
    const channels = channelsFor(h.config.REDIS_PREFIX);
    const [eventsA, eventsB] = [await listen(channels.user(a)), await listen(channels.user(b))];
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [a, b] }, type: 'ping', title: 'Hi' } });
    await eventually(() => expect(eventsA.length + eventsB.length).toBe(2));
    expect(eventsA[0]).toMatchObject({
      kind: 'notification',
      user_id: a,
      notification: { id: created.body.notification_ids[0], seq: 1, title: 'Hi', is_read: false },
    });
    expect(eventsB[0]).toMatchObject({ kind: 'notification', user_id: b, notification: { id: created.body.notification_ids[1], seq: 1 } });
    await eventually(async () => {
      const [row] = await h.api.deps.database.sql<{ count: number }[]>`
        select count(*)::int as count from notifications where user_id in (${a}, ${b}) and published_at is not null`;
      expect(row!.count).toBe(2);
    });
  });

  it('publishes a send to more users than the threshold as one broadcast message', async () => {
    const channels = channelsFor(h.config.REDIS_PREFIX);
    const users = Array.from({ length: 5 }, () => uniqueId('bc'));
    const broadcasts = await listen(channels.broadcast);
    const perUser = await listen(channels.user(users[0]!));
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: users }, type: 'news', title: 'Big news' } });
    await eventually(() => expect(broadcasts).toHaveLength(1));
    expect(broadcasts[0]).toMatchObject({
      kind: 'broadcast',
      broadcast_id: created.body.broadcast_id,
      recipient_count: 5,
      notification: { title: 'Big news' },
    });
    expect(perUser).toEqual([]);
    await eventually(async () => {
      const [row] = await h.api.deps.database.sql<{ count: number }[]>`
        select count(*)::int as count from notifications where broadcast_id = ${created.body.broadcast_id} and published_at is not null`;
      expect(row!.count).toBe(5);
    });
  });

  it('publishes read-state changes with the new unread count to the user channel', async () => {
    const user = uniqueId('rs');
    const token = h.userToken(user);
    const events = await listen(channelsFor(h.config.REDIS_PREFIX).user(user));
    const created = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 't', title: 'x' } });
    await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'u', title: 'y' } });
    const [id] = created.body.notification_ids;
    await h.request('POST', `/v1/notifications/${id}/read`, { token });
    await h.request('POST', `/v1/notifications/${id}/unread`, { token });
    await h.request('POST', '/v1/notifications/read-all', { token, body: { type: 'u' } });
    await h.request('DELETE', `/v1/notifications/${id}`, { token });
    await eventually(() => expect(events).toHaveLength(6));
    expect(events.slice(2)).toEqual([
      { kind: 'read_state', user_id: user, change: 'notification_read', ids: [id], unread_count: 1 },
      { kind: 'read_state', user_id: user, change: 'notification_unread', ids: [id], unread_count: 2 },
      { kind: 'all_read', user_id: user, type_filter: 'u', unread_count: 1 },
      { kind: 'read_state', user_id: user, change: 'notification_deleted', ids: [id], unread_count: 0 },
    ]);
  });
});
