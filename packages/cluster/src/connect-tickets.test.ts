import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, createRedis } from '@tidings/server-kit';
import { RedisConnectTickets, TICKET_TTL_S } from './connect-tickets.ts';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', createLogger('test', 'silent'), { name: 'test' });
afterAll(() => redis.disconnect());

const prefix = `test_${randomBytes(4).toString('hex')}:`;
const tickets = new RedisConnectTickets(redis, prefix);
const holder = { user_id: 'alice', roles: [], expires_at: 2_000_000_000 };

describe('connect tickets', () => {
  it('let exactly one redeem in, even when two race', async () => {
    const ticket = await tickets.issue(holder);
    const results = await Promise.all([tickets.redeem(ticket), tickets.redeem(ticket)]);
    expect(results.filter(Boolean)).toEqual([holder]);
    expect(await tickets.redeem(ticket)).toBeUndefined();
  });

  it('expire after the ticket lifetime and keep no usable ticket in Redis', async () => {
    const ticket = await tickets.issue(holder);
    const keys = await redis.keys(`${prefix}ticket:*`);
    expect(keys.some((key) => key.includes(ticket))).toBe(false);
    const ttls = await Promise.all(keys.map((key) => redis.ttl(key)));
    expect(Math.max(...ttls)).toBeLessThanOrEqual(TICKET_TTL_S);
    await redis.del(...keys);
    expect(await tickets.redeem(ticket)).toBeUndefined();
  });

  it.each(['', 'short', 'x'.repeat(43).replace(/x$/, '!'), '../../etc/passwd'])('refuse the forged %j', async (forged) => {
    expect(await tickets.redeem(forged)).toBeUndefined();
  });

  it('are not valid under another prefix (another deployment)', async () => {
    const ticket = await tickets.issue(holder);
    expect(await new RedisConnectTickets(redis, `${prefix}other:`).redeem(ticket)).toBeUndefined();
  });
});
