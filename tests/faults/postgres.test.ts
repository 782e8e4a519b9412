import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, Stack, startLoad } from './stack.ts';

// Postgres unreachable (every connection of every service cut, new ones refused) while creates
// arrive and clients reconnect and replay: creates are refused with 503 and write nothing, replays
// fail and are retried by the SDK, and once Postgres is back everything converges, nothing lost,
// nothing twice.

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.start({ cuttablePostgres: true, cuttableClients: true });
}, 90_000);
afterAll(async () => {
  await stack?.close();
});

describe('Postgres connections cut while creating and replaying', () => {
  it('refuses creates with 503 meanwhile, then converges: every notification once, every email once', { timeout: 120_000 }, async () => {
    const load = startLoad(stack, 50);
    await load.createdAtLeast(100);
    // Every client drops at the same moment and reconnects while Postgres is away: its replay fails.
    await Promise.all([stack.postgresProxy!.cut(), stack.clientProxy!.cut()]);
    await stack.clientProxy!.restore();
    await sleep(3_000);
    await stack.postgresProxy!.restore();
    await load.createdAtLeast(100);
    const result = await load.stop();
    const converged = await stack.expectConverged({ timeoutMs: 30_000 });
    console.info(`postgres cut 3 s: ${JSON.stringify(result)}; ${converged.notifications} notifications and ${converged.emails} emails all delivered once`);
    // Refused meanwhile with 503 and sent again with the same Idempotency-Key: each landed once.
    expect(result.retried).toBeGreaterThan(0);
    expect(result.refused).toEqual({});
    expect(result.created).toBe(result.sent);
    expect(converged.notifications).toBe(result.sent);
    // The clients' reconnects during the cut found no database to replay from (1011), and retried.
    const setupFailures = ['gateway-1', 'gateway-2'].flatMap((name) =>
      stack.services.get(name as 'gateway-1')!.lines.filter((line) => line.includes('connection setup failed')),
    );
    expect(setupFailures.length).toBeGreaterThan(0);
  });
});
