import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { emailQueue, scheduledQueue } from '@tidings/jobs';
import { createLogger, createRedis } from '@tidings/server-kit';
import { databaseFingerprint, uniqueId } from '@tidings/test-support';
import { startHarness, type ApiHarness } from './harness.ts';

let h: ApiHarness;
let subscriber: Redis;
let redis: Redis;
let published: string[];
const role = uniqueId('ops');
const type = 'incident';
const [ann, bob, cat, dee] = [uniqueId('ann'), uniqueId('bob'), uniqueId('cat'), uniqueId('dee')];

beforeAll(async () => {
  h = await startHarness();
  redis = createRedis(h.config.REDIS_URL, createLogger('test', 'silent'), { name: 'test' });
  subscriber = createRedis(h.config.REDIS_URL, createLogger('test', 'silent'), { name: 'test-sub' });
  published = [];
  subscriber.on('pmessage', (_pattern: string, channel: string) => published.push(channel));
  await subscriber.psubscribe(`${h.config.REDIS_PREFIX}*`);
  // Emails on by default for the type, so a real send writes email logs and enqueues jobs.
  expect((await h.request('PUT', `/v1/notification-types/${type}`, { token: h.admin, body: { default_email: true } })).status).toBe(200);
  for (const user of [ann, bob, cat, dee]) {
    const roles = user === dee ? [] : [role];
    expect((await h.request('PUT', `/v1/recipients/${user}`, { token: h.service, body: { email: `${user}@example.com`, roles } })).status).toBe(200);
  }
  // Cat turned in-app off: a send skips her, so the count must too.
  expect((await h.request('PUT', '/v1/preferences', { token: h.userToken(cat), body: { in_app_enabled: false } })).status).toBe(200);
});
afterAll(async () => {
  subscriber?.disconnect();
  redis?.disconnect();
  await h?.close();
});

const send = (body: Record<string, unknown>, options: { token?: string; headers?: Record<string, string> } = {}) =>
  h.request('POST', '/v1/notifications', { token: options.token ?? h.service, headers: options.headers, body: { type, title: 'Database failover', ...body } });

async function jobCounts(): Promise<Record<string, number>> {
  const [emails, releases] = [emailQueue(redis, h.config.REDIS_PREFIX), scheduledQueue(redis, h.config.REDIS_PREFIX)];
  try {
    return {
      email: Object.values(await emails.getJobCounts()).reduce((a, b) => a + b, 0),
      scheduled: Object.values(await releases.getJobCounts()).reduce((a, b) => a + b, 0),
    };
  } finally {
    await Promise.all([emails.close(), releases.close()]);
  }
}

/** Runs `dryRuns`, then checks that not a row, a Redis message or a job came of them. */
async function expectNothingWritten(dryRuns: () => Promise<void>): Promise<void> {
  const { sql } = h.api.deps.database;
  // A real send before marks its rows published after it answers: that mark is not the dry run's doing.
  const fingerprint = () => databaseFingerprint(sql, { notifications: ['published_at'] });
  const [rowsBefore, jobsBefore] = [await fingerprint(), await jobCounts()];
  published.length = 0;
  await dryRuns();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(published).toEqual([]);
  expect(await fingerprint()).toBe(rowsBefore);
  expect(await jobCounts()).toEqual(jobsBefore);
}

describe('POST /v1/notifications with dry_run', () => {
  it('counts what a send to user ids reaches (duplicates once, unknown ids as new recipients, in-app off left out)', async () => {
    const newcomer = uniqueId('new');
    const to = { user_ids: [ann, bob, ann, cat, newcomer, bob] };
    let dryCount = -1;
    await expectNothingWritten(async () => {
      const dry = await send({ to, dry_run: true });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({ recipient_count: 3 });
      dryCount = dry.body.recipient_count;
    });
    expect((await h.request('GET', `/v1/recipients/${newcomer}`, { token: h.service })).status).toBe(404);

    const real = await send({ to });
    expect(real.status).toBe(201);
    expect(real.body.recipient_count).toBe(dryCount);
    expect(published.length).toBeGreaterThan(0);
  });

  it('counts what a send to a role reaches', async () => {
    let dryCount = -1;
    await expectNothingWritten(async () => {
      const dry = await send({ to: { roles: [role] }, dry_run: true });
      expect(dry.status).toBe(200);
      dryCount = dry.body.recipient_count;
    });
    expect(dryCount).toBe(2);
    const real = await send({ to: { roles: [role] } });
    expect(real.body.recipient_count).toBe(dryCount);
  });

  it('counts what a send to everyone reaches, a critical one too', async () => {
    for (const priority of ['normal', 'critical']) {
      let dryCount = -1;
      await expectNothingWritten(async () => {
        dryCount = (await send({ to: { all: true }, priority, dry_run: true })).body.recipient_count;
      });
      const real = await send({ to: { all: true }, priority });
      expect(real.status).toBe(201);
      expect(real.body.recipient_count).toBe(dryCount);
    }
  });

  it('counts a scheduled send now and schedules nothing', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    let dryCount = -1;
    await expectNothingWritten(async () => {
      const dry = await send({ to: { roles: [role] }, send_at: sendAt, dry_run: true });
      expect(dry.status).toBe(200);
      dryCount = dry.body.recipient_count;
    });
    const real = await send({ to: { roles: [role] }, send_at: sendAt });
    expect(real.status).toBe(202);
    expect(real.body.recipient_count).toBe(dryCount);
  });

  it('leaves no idempotency record; "dry_run": false is the same request as none', async () => {
    const headers = { 'idempotency-key': uniqueId('key') };
    await expectNothingWritten(async () => {
      expect((await send({ to: { user_ids: [dee] }, dry_run: true }, { headers })).status).toBe(200);
    });
    const first = await send({ to: { user_ids: [dee] } }, { headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send({ to: { user_ids: [dee] }, dry_run: false }, { headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.broadcast_id).toBe(first.body.broadcast_id);
  });

  it.each([['yes'], [1], [null], [{}]])('refuses dry_run %j with 400 naming it, writing nothing', async (value) => {
    await expectNothingWritten(async () => {
      const response = await send({ to: { user_ids: [ann] }, dry_run: value });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['dry_run']);
    });
  });

  it('refuses the rest of a bad body as a send would', async () => {
    const response = await send({ to: { user_ids: [] }, dry_run: true });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('to.user_ids');
  });

  it('has the access rule of a send', async () => {
    const response = await send({ to: { all: true }, dry_run: true }, { token: h.userToken(ann) });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
    expect((await send({ to: { all: true }, dry_run: true }, { token: h.admin })).status).toBe(200);
  });

  it('shows the dry-run answer in the OpenAPI document', async () => {
    const document = (await h.request('GET', '/openapi.json')).body;
    const create = document.paths['/v1/notifications'].post;
    expect(create.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DryRunResult' });
    expect(document.components.schemas.DryRunResult.properties).toHaveProperty('recipient_count');
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateNotification' });
    expect(document.components.schemas.CreateNotification.properties.dry_run).toMatchObject({ type: 'boolean' });
  });
});
