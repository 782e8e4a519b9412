import { afterEach } from 'vitest';
import { FakeGateway, type FakeGatewayOptions } from './fake-gateway.ts';

/** Steps to undo what a test started; pushed during the test, run after it, last first. */
export type Cleanup = Array<() => Promise<unknown>>;

/** Registers, in the calling test file, the afterEach hook that runs the steps; answers the list to push them to. */
export function cleanupAfterEach(): Cleanup {
  const steps: Cleanup = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return steps;
}

/** A fake gateway that `cleanup` stops after the test. */
export async function startGateway(cleanup: Cleanup, options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const fake = await FakeGateway.start(options);
  cleanup.push(() => fake.stop());
  return fake;
}
