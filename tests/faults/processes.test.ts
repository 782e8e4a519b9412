import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack, startLoad } from './stack.ts';

// The API killed in the middle of creates: a create whose answer was lost may or may not have
// committed; every one that committed must still reach its user's clients once and send its
// email once (the outbox and email relays pick up what the dead process never published or
// enqueued). Gateways and the worker killed under load have tests of their own
// (services/gateway/tests/failover.test.ts, services/worker/tests/email-crash.test.ts).

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start();
}, 90_000);
afterAll(async () => {
  await stack?.close();
});

describe('the API killed with SIGKILL mid-create', () => {
  it('every committed notification reaches its client once and sends its email once', { timeout: 120_000 }, async () => {
    const load = startLoad(stack, 100);
    await load.createdAtLeast(150);
    await stack.kill('api');
    await stack.launch('api');
    await load.createdAtLeast(150);
    const result = await load.stop();
    const converged = await stack.expectConverged({ timeoutMs: 30_000 });
    console.info(
      `api SIGKILLed mid-create: ${JSON.stringify(result)}; ${converged.notifications} committed notifications and ${converged.emails} emails all delivered once`,
    );
    // Requests in flight at the kill got no answer, those sent while it was down were refused: each
    // was sent again with its Idempotency-Key, and whether or not the first try had committed, it
    // landed exactly once.
    expect(result.retried).toBeGreaterThan(0);
    expect(result.refused).toEqual({});
    expect(result.created).toBe(result.sent);
    expect(converged.notifications).toBe(result.sent);
  });
});
