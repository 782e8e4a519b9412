import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, Stack, startLoad } from './stack.ts';

// The SMTP server away for a minute while emails keep being created: none may fail for it, none
// may go out twice, and sending resumes within seconds of its return.

let stack: Stack;
beforeAll(async () => {
  // The production retry settings: an outage must not spend an email's attempts.
  stack = await Stack.start({ env: { EMAIL_RETRY_BASE_MS: '5000', EMAIL_MAX_ATTEMPTS: '8' } });
}, 90_000);
afterAll(async () => {
  await stack?.close();
});

describe('the SMTP server gone for a minute', () => {
  it('loses no email and sends none twice; sending resumes within seconds of its return', { timeout: 150_000 }, async () => {
    const load = startLoad(stack, 20);
    await load.createdAtLeast(50);
    await stack.sink.close();
    const before = stack.sink.messages.length;
    await sleep(60_000);
    expect(stack.sink.messages.length).toBe(before);
    await stack.sink.start();
    const back = Date.now();
    await load.createdAtLeast(50);
    const result = await load.stop();
    const converged = await stack.expectConverged({ timeoutMs: 30_000 });
    console.info(
      `smtp gone 60 s: ${JSON.stringify(result)}; ${converged.emails} emails each sent once, the last ${Date.now() - back} ms after the server came back`,
    );
    expect(result.retried).toBe(0);
  });
});
