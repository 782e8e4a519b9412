import { afterAll, afterEach, beforeAll } from 'vitest';
import { InboxHarness } from './harness.ts';

/**
 * The harness of one test file: the bundle is built and the browser started once, before its
 * tests; each test's backend and browser context are closed after it.
 */
export function useHarness(): Pick<InboxHarness, 'open' | 'cleanup'> {
  let harness: InboxHarness | undefined;
  beforeAll(async () => {
    harness = await InboxHarness.start();
  });
  afterEach(() => harness?.cleanup());
  afterAll(() => harness?.stop());
  const started = () => {
    if (!harness) throw new Error('the harness starts in beforeAll');
    return harness;
  };
  return { open: (options) => started().open(options), cleanup: () => started().cleanup() };
}
