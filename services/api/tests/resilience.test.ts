import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, eventually, TcpProxy, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

/**
 * The API reaches Postgres and Redis through proxies the test can cut, as if each server died,
 * and restore, to check the 503s and that the service recovers without a restart.
 */
let h: ApiHarness;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;

beforeAll(async () => {
  const probe = await createTestEnvironment();
  await probe.dispose();
  const pg = new URL(probe.config.DATABASE_URL);
  const redis = new URL(probe.config.REDIS_URL);
  pgProxy = new TcpProxy(pg.hostname, Number(pg.port || 5432));
  redisProxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
  await Promise.all([pgProxy.start(), redisProxy.start()]);
  h = await startHarness({ REDIS_URL: redisProxy.urlFor(probe.config.REDIS_URL) }, { databasePort: pgProxy.port });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([pgProxy?.cut(), redisProxy?.cut()]);
});

const create = (user: string) => h.request('POST', '/v1/notifications', { token: h.service, body: { to: { user_ids: [user] }, type: 'outage', title: 'x' } });

describe('when Postgres goes away', () => {
  it('answers 503 database_unavailable, keeps the process up, and recovers by itself', async () => {
    const user = uniqueId('pg');
    expect((await create(user)).status).toBe(201);
    await pgProxy.cut();

    const failed = await create(user);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('database_unavailable');
    const listed = await h.request('GET', '/v1/notifications', { token: h.userToken(user) });
    expect(listed.status).toBe(503);
    const ready = await h.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('database_unavailable');
    expect(ready.body.error.message).toBe('not ready: postgres');
    expect(ready.body.error.details.checks.postgres).toMatch(/^unavailable/);
    expect(ready.body.error.details.checks.redis).toBe('ok');
    expect((await h.request('GET', '/healthz')).status).toBe(200);

    await pgProxy.restore();
    await eventually(async () => expect((await h.request('GET', '/readyz')).status).toBe(200), 15_000, 200);
    expect((await create(user)).status).toBe(201);
    const seqs = (await h.request('GET', '/v1/notifications', { token: h.userToken(user) })).body.items.map((n: { seq: number }) => n.seq);
    expect(seqs).toEqual([2, 1]);
  });
});

describe('when Redis goes away', () => {
  it('still commits notifications (unpublished, for the relay), answers 503 where Redis is needed, and recovers', async () => {
    const user = uniqueId('redis');
    await redisProxy.cut();

    const created = await create(user);
    expect(created.status).toBe(201);
    const [row] = await h.api.deps.database.sql<{ published: boolean }[]>`
      select published_at is not null as published from notifications where id = ${created.body.notification_ids[0]}`;
    expect(row!.published).toBe(false);

    const connections = await h.request('GET', '/v1/admin/connections', { token: h.admin });
    expect(connections.status).toBe(503);
    expect(connections.body.error.code).toBe('redis_unavailable');
    const ready = await h.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('redis_unavailable');
    expect(ready.body.error.details.checks.redis).toMatch(/^unavailable/);
    expect((await h.request('GET', '/v1/notifications', { token: h.userToken(user) })).status).toBe(200);

    await redisProxy.restore();
    await eventually(async () => expect((await h.request('GET', '/readyz')).status).toBe(200), 15_000, 200);
    expect((await h.request('GET', '/v1/admin/connections', { token: h.admin })).status).toBe(200);
    const again = await create(user);
    await eventually(async () => {
      const [published] = await h.api.deps.database.sql<{ published: boolean }[]>`
        select published_at is not null as published from notifications where id = ${again.body.notification_ids[0]}`;
      expect(published!.published).toBe(true);
    });
  });
});
