import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { presenceKeys } from '@tidings/cluster';
import { bullPrefix, emailQueue, queueNames } from '@tidings/jobs';
import { createLogger, createRedis } from '@tidings/server-kit';
import { eventually, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
let redis: Redis;

beforeAll(async () => {
  h = await startHarness();
  redis = createRedis(h.config.REDIS_URL, createLogger('test', 'silent'), { name: 'test' });
});
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
});

const timeseries = (query: string, token = h.admin) => h.request('GET', `/v1/admin/stats/timeseries${query}`, { token });

/** Sends one notification to `user` and moves its row to `at`; answers the row's id. */
async function notificationAt(user: string, type: string, at: string, extra: Record<string, unknown> = {}): Promise<string> {
  const sent = await h.request('POST', '/v1/notifications', {
    token: h.service,
    body: { to: { user_ids: [user] }, type, title: `${type} at ${at}`, ...extra },
  });
  expect(sent.status).toBeLessThan(300);
  const [id] = sent.body.notification_ids as string[];
  await h.api.deps.database.sql`update notifications set created_at = ${at}::timestamptz where id = ${id!}`;
  return id!;
}

async function emailLogAt(user: string, status: string, at: string): Promise<void> {
  await h.api.deps.database.sql`
    insert into email_logs (user_id, dedupe_key, "to", subject, template, status, queued_at)
    values (${user}, ${uniqueId('t')}, 'someone@example.com', 'Hello', 'default', ${status}, ${at}::timestamptz)`;
}

describe('GET /v1/admin/stats/timeseries', () => {
  const user = uniqueId('chart');
  const base = '2025-06-01T10:00';

  beforeAll(async () => {
    await h.request('PUT', `/v1/recipients/${user}`, { token: h.service, body: { email: 'someone@example.com' } });
    await notificationAt(user, 'alpha', `${base}:05.000Z`);
    await notificationAt(user, 'alpha', `${base}:59.999Z`);
    await notificationAt(user, 'alpha', '2025-06-01T10:01:00.000Z');
    await notificationAt(user, 'beta', '2025-06-01T10:01:30.000Z');
    // Deleted by its user since: it was still created then.
    const deleted = await notificationAt(user, 'alpha', '2025-06-01T10:02:10.000Z');
    expect((await h.request('DELETE', `/v1/notifications/${deleted}`, { token: h.userToken(user) })).status).toBe(204);
    // Held for a scheduled send: not created for its user until released.
    await notificationAt(user, 'alpha', '2025-06-01T10:02:20.000Z', { send_at: new Date(Date.now() + 3_600_000).toISOString() });
    await notificationAt(user, 'beta', '2025-06-01T11:59:59.999Z');
    // The end of a window is exclusive.
    await notificationAt(user, 'beta', '2025-06-01T12:00:00.000Z');

    await emailLogAt(user, 'sent', `${base}:10Z`);
    await emailLogAt(user, 'sent', `${base}:20Z`);
    await emailLogAt(user, 'failed', `${base}:30Z`);
    await emailLogAt(user, 'queued', '2025-06-01T10:01:10Z');
    await emailLogAt(user, 'bounced', '2025-06-01T11:30:00Z');
    await emailLogAt(user, 'sent', '2025-06-01T12:00:00Z');
  });

  it('counts notifications by type and emails by status per minute', async () => {
    const response = await timeseries('?from=2025-06-01T10:00:00Z&to=2025-06-01T12:00:00Z&bucket=minute');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2025-06-01T10:00:00.000Z',
      to: '2025-06-01T12:00:00.000Z',
      bucket: 'minute',
      bucket_seconds: 60,
      notifications: [
        { t: '2025-06-01T10:00:00.000Z', type: 'alpha', count: 2 },
        { t: '2025-06-01T10:01:00.000Z', type: 'alpha', count: 1 },
        { t: '2025-06-01T10:01:00.000Z', type: 'beta', count: 1 },
        { t: '2025-06-01T10:02:00.000Z', type: 'alpha', count: 1 },
        { t: '2025-06-01T11:59:00.000Z', type: 'beta', count: 1 },
      ],
      emails: [
        { t: '2025-06-01T10:00:00.000Z', status: 'failed', count: 1 },
        { t: '2025-06-01T10:00:00.000Z', status: 'sent', count: 2 },
        { t: '2025-06-01T10:01:00.000Z', status: 'queued', count: 1 },
        { t: '2025-06-01T11:30:00.000Z', status: 'bounced', count: 1 },
      ],
    });
  });

  it('counts per hour', async () => {
    const response = await timeseries('?from=2025-06-01T10:00:00Z&to=2025-06-01T12:00:00Z&bucket=hour');
    expect(response.status).toBe(200);
    expect(response.body.bucket_seconds).toBe(3_600);
    expect(response.body.notifications).toEqual([
      { t: '2025-06-01T10:00:00.000Z', type: 'alpha', count: 4 },
      { t: '2025-06-01T10:00:00.000Z', type: 'beta', count: 1 },
      { t: '2025-06-01T11:00:00.000Z', type: 'beta', count: 1 },
    ]);
    expect(response.body.emails).toEqual([
      { t: '2025-06-01T10:00:00.000Z', status: 'failed', count: 1 },
      { t: '2025-06-01T10:00:00.000Z', status: 'queued', count: 1 },
      { t: '2025-06-01T10:00:00.000Z', status: 'sent', count: 2 },
      { t: '2025-06-01T11:00:00.000Z', status: 'bounced', count: 1 },
    ]);
  });

  it('aligns buckets to the UTC minute when the window does not start on one, and reads its time zone', async () => {
    // 12:00:30+02:00 is 10:00:30Z: the first bucket starts at 10:00Z and holds only what came after 10:00:30.
    const response = await timeseries(`?from=${encodeURIComponent('2025-06-01T12:00:30+02:00')}&to=2025-06-01T10:01:30Z`);
    expect(response.status).toBe(200);
    expect(response.body.from).toBe('2025-06-01T10:00:30.000Z');
    expect(response.body.notifications).toEqual([
      { t: '2025-06-01T10:00:00.000Z', type: 'alpha', count: 1 },
      { t: '2025-06-01T10:01:00.000Z', type: 'alpha', count: 1 },
    ]);
    expect(response.body.emails).toEqual([
      { t: '2025-06-01T10:00:00.000Z', status: 'failed', count: 1 },
      { t: '2025-06-01T10:01:00.000Z', status: 'queued', count: 1 },
    ]);
  });

  it('defaults to the last hour by minute, up to now', async () => {
    const now = uniqueId('now');
    const sent = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [now, `${now}-2`] }, type: 'fresh', title: 'Now' } });
    const created = (await h.request('GET', `/v1/notifications/${sent.body.notification_ids[0]}`, { token: h.userToken(now) })).body.created_at as string;
    const before = Date.now();
    const response = await timeseries('');
    expect(response.status).toBe(200);
    const { from, to, bucket, bucket_seconds, notifications } = response.body;
    expect(new Date(to).getTime()).toBeGreaterThanOrEqual(before);
    expect(new Date(to).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(to).getTime() - new Date(from).getTime()).toBe(3_600_000);
    expect({ bucket, bucket_seconds }).toEqual({ bucket: 'minute', bucket_seconds: 60 });
    const minute = new Date(Math.floor(Date.parse(created) / 60_000) * 60_000).toISOString();
    expect(notifications).toContainEqual({ t: minute, type: 'fresh', count: 2 });
    expect(notifications.some((entry: { t: string }) => entry.t.startsWith('2025-'))).toBe(false);

    const fromOnly = await timeseries('?from=2025-06-01T11:00:00Z');
    expect(fromOnly.status).toBe(400);
    expect(fromOnly.body.error.details[0].path).toBe('from');
    const toOnly = await timeseries('?to=2025-06-01T12:00:00Z');
    expect(toOnly.body.from).toBe('2025-06-01T11:00:00.000Z');
    expect(toOnly.body.notifications).toEqual([{ t: '2025-06-01T11:59:00.000Z', type: 'beta', count: 1 }]);
  });

  it('takes up to 1,500 buckets and 7 days', async () => {
    // 25 hours by minute: exactly 1,500 buckets.
    expect((await timeseries('?from=2025-05-31T11:00:00Z&to=2025-06-01T12:00:00Z')).status).toBe(200);
    const week = await timeseries('?from=2025-05-25T12:00:00Z&to=2025-06-01T12:00:00Z&bucket=hour');
    expect(week.status).toBe(200);
    expect(week.body.notifications).toHaveLength(3);
  });

  it.each([
    ['from', '?from=2025-06-01T12:00:00Z&to=2025-06-01T12:00:00Z', 'from equal to to'],
    ['from', '?from=2025-06-01T12:00:01Z&to=2025-06-01T12:00:00Z', 'from after to'],
    ['from', '?from=2025-05-25T11:59:59Z&to=2025-06-01T12:00:00Z&bucket=hour', 'a window over 7 days'],
    ['bucket', '?from=2025-05-31T10:59:59Z&to=2025-06-01T12:00:00Z', '1,501 buckets'],
    ['bucket', '?from=2025-05-29T12:00:00Z&to=2025-06-01T12:00:00Z&bucket=minute', '3 days by minute'],
    ['from', '?from=yesterday', 'a word for a date'],
    ['from', '?from=2025-06-01T10:00:00', 'a date without its offset'],
    ['to', '?to=2025-13-01T00:00:00Z', 'a month that does not exist'],
    ['to', '?to=1717236000000', 'epoch milliseconds'],
    ['from', '?from=2025-06-01T10:00:00Z&from=2025-06-01T11:00:00Z', 'a repeated parameter'],
    ['bucket', '?bucket=day', 'an unknown bucket'],
    ['bucket', '?bucket=', 'an empty bucket'],
    ['step', '?step=60', 'an unknown parameter'],
  ])('refuses %s with 400 for %s (%s)', async (field, query) => {
    const response = await timeseries(query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual([field]);
  });

  it('is for admins only', async () => {
    for (const token of [h.service, h.userToken(user)]) {
      const response = await timeseries('', token);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
    expect((await h.request('GET', '/v1/admin/stats/timeseries')).status).toBe(401);
  });
});

/** Writes presence the way a gateway does (see presenceKeys). */
async function registerGateway(gatewayId: string, alive: boolean, connections: { id: string; user: string }[]) {
  const keys = presenceKeys(h.config.REDIS_PREFIX);
  await redis.sadd(keys.gateways, gatewayId);
  if (alive) await redis.set(keys.lease(gatewayId), '1', 'PX', 60_000);
  for (const c of connections) {
    const at = new Date().toISOString();
    await redis.hset(keys.gatewayConnections(gatewayId), c.id, JSON.stringify({ user_id: c.user, connected_at: at }));
    await redis.hset(keys.user(c.user), c.id, JSON.stringify({ gateway_id: gatewayId, connected_at: at }));
  }
}

describe('GET /v1/admin/stats', () => {
  const stats = async () => {
    const response = await h.request('GET', '/v1/admin/stats', { token: h.admin });
    expect(response.status).toBe(200);
    return response.body;
  };

  it("counts today's notifications and emails from UTC midnight", async () => {
    const before = await stats();
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    expect(before.today.since).toBe(midnight.toISOString());

    const [ann, bob] = [uniqueId('ann'), uniqueId('bob')];
    const sent = await h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [ann, bob] }, type: 'today', title: 'Hi' } });
    expect((await h.request('DELETE', `/v1/notifications/${sent.body.notification_ids[0]}`, { token: h.userToken(ann) })).status).toBe(204);
    await h.request('POST', '/v1/notifications', {
      token: h.service,
      body: { to: { user_ids: [ann] }, type: 'today', title: 'Later', send_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const yesterday = new Date(midnight.getTime() - 60_000).toISOString();
    await notificationAt(bob, 'today', yesterday);
    await emailLogAt(ann, 'sent', new Date().toISOString());
    await emailLogAt(ann, 'sent', new Date().toISOString());
    await emailLogAt(bob, 'failed', new Date().toISOString());
    await emailLogAt(bob, 'failed', yesterday);

    const after = await stats();
    expect(after.today.notifications - before.today.notifications).toBe(2);
    const delta = (status: string) => (after.today.emails[status] ?? 0) - (before.today.emails[status] ?? 0);
    expect({ sent: delta('sent'), failed: delta('failed') }).toEqual({ sent: 2, failed: 1 });
    // The totals keep their meaning: not deleted, released rows; every email ever.
    expect(after.notifications - before.notifications).toBe(2);
    expect(after.scheduled - before.scheduled).toBe(1);
    expect(after.emails.failed - (before.emails.failed ?? 0)).toBe(2);
  });

  it('lists live gateways with their connections and distinct users, by id, and the users online anywhere once each', async () => {
    const [carol, dan] = [uniqueId('carol'), uniqueId('dan')];
    await registerGateway('gw-b', true, [
      { id: 'b1', user: carol },
      { id: 'b2', user: carol },
      { id: 'b3', user: dan },
    ]);
    await registerGateway('gw-a', true, [{ id: 'a1', user: dan }]);
    await registerGateway('gw-c', true, []);
    await registerGateway('gw-dead', false, [{ id: 'd1', user: carol }]);
    const body = await stats();
    expect(body.per_gateway).toEqual([
      { gateway_id: 'gw-a', connections: 1, users: 1 },
      { gateway_id: 'gw-b', connections: 3, users: 2 },
      { gateway_id: 'gw-c', connections: 0, users: 0 },
    ]);
    // dan is online on two gateways: one user, not two.
    expect(body).toMatchObject({ gateways: 3, connections: 4, online_users: 2 });
  });

  it('counts the email queue by state', async () => {
    const queue = emailQueue(redis, h.config.REDIS_PREFIX);
    const url = new URL(h.config.REDIS_URL);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = new Worker(
      queueNames.email,
      async (job) => {
        if (job.name === 'fail') throw new Error('the mail server said no');
        await held;
      },
      {
        connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
        prefix: bullPrefix(h.config.REDIS_PREFIX),
        concurrency: 1,
      },
    );
    try {
      expect((await stats()).queues).toEqual({ email: { waiting: 0, active: 0, delayed: 0, failed: 0 } });
      await queue.add('fail', { log_id: crypto.randomUUID() }, { attempts: 1 });
      await eventually(async () => expect(await queue.getFailedCount()).toBe(1));
      await queue.add('hold', { log_id: crypto.randomUUID() });
      await eventually(async () => expect(await queue.getActiveCount()).toBe(1));
      await queue.add('send', { log_id: crypto.randomUUID() });
      await queue.add('send', { log_id: crypto.randomUUID() });
      await queue.add('send', { log_id: crypto.randomUUID() }, { delay: 60_000 });
      expect((await stats()).queues).toEqual({ email: { waiting: 2, active: 1, delayed: 1, failed: 1 } });
    } finally {
      release();
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('refuses an unknown parameter and non-admins', async () => {
    const bad = await h.request('GET', '/v1/admin/stats?verbose=1', { token: h.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('verbose');
    for (const token of [h.service, h.userToken(uniqueId('nosy'))]) {
      const response = await h.request('GET', '/v1/admin/stats', { token });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
  });
});
