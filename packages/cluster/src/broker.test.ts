import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, createRedis } from '@tidings/server-kit';
import type { Broker } from './broker.ts';
import { channelsFor } from './broker.ts';
import { MemoryBroker } from './memory-broker.ts';
import { RedisBroker } from './redis-broker.ts';

const logger = createLogger('test', 'silent');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const implementations: [string, () => Broker][] = [
  ['memory', () => new MemoryBroker()],
  ['redis', () => new RedisBroker(createRedis(redisUrl, logger, { name: 'pub' }), () => createRedis(redisUrl, logger, { name: 'sub' }), logger)],
];

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One conformance suite, run against every Broker implementation. */
describe.each(implementations)('%s broker', (_name, make) => {
  const opened: Broker[] = [];
  const open = () => {
    const broker = make();
    opened.push(broker);
    return broker;
  };
  const channels = channelsFor(`test_${randomBytes(4).toString('hex')}:`);
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((broker) => broker.close()));
  });

  it('delivers published messages in order to the subscriber of a channel', async () => {
    const broker = open();
    const received: string[] = [];
    await broker.subscribe(channels.user('a'), (payload) => received.push(payload));
    await broker.publish(Array.from({ length: 50 }, (_, i) => ({ channel: channels.user('a'), payload: String(i) })));
    await until(() => received.length === 50);
    expect(received).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });

  it('routes by channel and stops after unsubscribe', async () => {
    const broker = open();
    const a: string[] = [];
    const b: string[] = [];
    await broker.subscribe(channels.user('a'), (payload) => a.push(payload));
    await broker.subscribe(channels.user('b'), (payload) => b.push(payload));
    await broker.publish([
      { channel: channels.user('a'), payload: 'for a' },
      { channel: channels.user('b'), payload: 'for b' },
    ]);
    await until(() => a.length === 1 && b.length === 1);
    await broker.unsubscribe(channels.user('a'));
    await broker.publish([
      { channel: channels.user('a'), payload: 'late' },
      { channel: channels.user('b'), payload: 'marker' },
    ]);
    await until(() => b.length === 2);
    expect(a).toEqual(['for a']);
    await broker.unsubscribe('never-subscribed');
  });

  it('survives a throwing handler and closes idempotently', async () => {
    const broker = open();
    const received: string[] = [];
    await broker.subscribe(channels.broadcast, (payload) => {
      if (payload === 'bad') throw new Error('handler bug');
      received.push(payload);
    });
    await broker.publish([{ channel: channels.broadcast, payload: 'bad' }]).catch(() => {});
    await broker.publish([{ channel: channels.broadcast, payload: 'good' }]);
    await until(() => received.length === 1);
    await Promise.all([broker.close(), broker.close()]);
  });
});
