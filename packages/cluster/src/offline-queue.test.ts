import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, createRedis } from '@tidings/server-kit';
import { MemoryOfflineQueue, RedisOfflineQueue, type OfflineQueue } from './offline-queue.ts';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', createLogger('test', 'silent'), { name: 'test' });
afterAll(() => redis.disconnect());

const implementations: [string, (size: number) => OfflineQueue][] = [
  ['memory', (size) => new MemoryOfflineQueue(size)],
  ['redis', (size) => new RedisOfflineQueue(redis, `test_${randomBytes(4).toString('hex')}:`, size)],
];

const frames = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, frame: `{"seq":${from + i}}` }));

describe.each(implementations)('%s offline queue', (_name, make) => {
  it('returns frames after a seq, in order', async () => {
    const queue = make(10);
    await queue.append('u', frames(4, 6));
    await queue.append('u', frames(1, 3));
    expect((await queue.after('u', 2)).map((f) => f.seq)).toEqual([3, 4, 5, 6]);
    expect(await queue.after('u', 6)).toEqual([]);
    expect(await queue.after('other', 0)).toEqual([]);
  });

  it('keeps one frame per seq, the one appended last', async () => {
    const queue = make(10);
    await queue.append('u', frames(1, 3));
    await queue.append('u', [{ seq: 2, frame: '{"seq":2,"is_read":true}' }]);
    expect(await queue.after('u', 0)).toEqual([frames(1, 1)[0], { seq: 2, frame: '{"seq":2,"is_read":true}' }, frames(3, 3)[0]]);
  });

  it('keeps only the newest frames up to its size', async () => {
    const queue = make(3);
    await queue.append('u', frames(1, 5));
    expect((await queue.after('u', 0)).map((f) => f.seq)).toEqual([3, 4, 5]);
  });

  it('forgets single seqs or a whole user', async () => {
    const queue = make(10);
    await queue.append('u', frames(1, 4));
    await queue.forget('u', [2, 3]);
    expect((await queue.after('u', 0)).map((f) => f.seq)).toEqual([1, 4]);
    await queue.forget('u');
    expect(await queue.after('u', 0)).toEqual([]);
  });
});
