import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, Stack, startLoad } from './stack.ts';

// Redis holds pub/sub, presence, the offline queue, rate limits and every job. Killed and
// restarted empty, or frozen, it must cost no notification and no email: what it lost is found
// again from Postgres.

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start({ ownRedis: true });
}, 90_000);
afterAll(async () => {
  await stack?.close();
});

describe('Redis under load', () => {
  it('SIGKILLed and restarted empty: every notification reaches its client once, every email is sent once, within seconds', { timeout: 90_000 }, async () => {
    const load = startLoad(stack, 50);
    await load.createdAtLeast(100);
    await stack.redis!.kill();
    await sleep(2_000);
    await stack.redis!.restart();
    const back = Date.now();
    await load.createdAtLeast(100);
    const result = await load.stop();
    const converged = await stack.expectConverged({ timeoutMs: 30_000 });
    console.info(
      `redis restarted empty: ${JSON.stringify(result)}; ${converged.notifications} notifications and ${converged.emails} emails all delivered once, ${Date.now() - back} ms after redis came back`,
    );
    // No create was refused for Redis: the API commits without it (the relays publish later).
    expect(result.retried).toBe(0);
    expect(converged.notifications).toBe(result.sent);
    await stack.expectPresence();
    // Emails whose jobs died with Redis are found again by the worker's data-loss watch, not after the 10-minute stale check.
    expect(Date.now() - back).toBeLessThan(30_000);
  });

  it('frozen (SIGSTOP) for 10 s, then resumed: nothing lost, nothing twice', { timeout: 90_000 }, async () => {
    const load = startLoad(stack, 50);
    await load.createdAtLeast(100);
    stack.redis!.freeze();
    await sleep(10_000);
    stack.redis!.thaw();
    await load.createdAtLeast(100);
    const result = await load.stop();
    const converged = await stack.expectConverged({ timeoutMs: 30_000 });
    console.info(`redis frozen 10 s: ${JSON.stringify(result)}; ${converged.notifications} notifications and ${converged.emails} emails all delivered once`);
    expect(result.retried).toBe(0);
  });
});
