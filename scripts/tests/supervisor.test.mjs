import { describe, expect, it } from 'vitest';
import { Supervisor } from '../lib/supervisor.mjs';

const node = (code) => ({ command: process.execPath, args: ['-e', code], cwd: process.cwd(), env: { PATH: process.env.PATH } });

async function until(check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the npm start supervisor', () => {
  it('restarts a service that dies, with growing delays, and leaves the others running', async () => {
    const events = [];
    const restartTimes = [];
    const supervisor = new Supervisor({
      onLine: (name, line) => {
        if (name === 'flaky' && line === 'up') restartTimes.push(Date.now());
      },
      onEvent: (line) => events.push(line),
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      healthyAfterMs: 60_000,
    });
    supervisor.add({ name: 'steady', ...node('console.log("up"); setInterval(() => {}, 1000)') });
    supervisor.add({ name: 'flaky', ...node('console.log("up"); setTimeout(() => process.exit(3), 50)') });
    await until(() => supervisor.pid('steady') !== undefined);
    const steadyPid = supervisor.pid('steady');

    await until(() => supervisor.restarts().flaky >= 3);
    expect(supervisor.pid('steady')).toBe(steadyPid);
    expect(supervisor.restarts().steady).toBe(0);
    expect(events[0]).toMatch(/^!!! flaky died \(exit 3\) after .* s; the other services keep running; restarting flaky in 0\.1 s$/);
    expect(events[1]).toMatch(/restarting flaky in 0\.2 s \(crash 2 in a row\)/);
    expect(events[2]).toMatch(/restarting flaky in 0\.4 s \(crash 3 in a row\)/);
    // Each gap is the run (~50 ms) plus a delay that doubles.
    const gaps = restartTimes.slice(1).map((time, i) => time - restartTimes[i]);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);

    await supervisor.stop('SIGTERM');
    expect(supervisor.pid('steady')).toBeUndefined();
    expect(supervisor.pid('flaky')).toBeUndefined();
  });

  it('a service killed by a signal is restarted too; stop() ends a service that ignores SIGTERM', async () => {
    const events = [];
    let ups = 0;
    const supervisor = new Supervisor({ onLine: () => ups++, onEvent: (line) => events.push(line), baseDelayMs: 50, stopTimeoutMs: 300 });
    supervisor.add({ name: 'stubborn', ...node('process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)') });
    await until(() => ups === 1);
    process.kill(supervisor.pid('stubborn'), 'SIGKILL');
    await until(() => ups === 2);
    expect(supervisor.restarts().stubborn).toBe(1);
    expect(events[0]).toMatch(/stubborn died \(killed by SIGKILL\)/);
    await supervisor.stop('SIGTERM');
    expect(events.at(-1)).toMatch(/stubborn did not stop within 0.3 s; killing it/);
    expect(supervisor.pid('stubborn')).toBeUndefined();
  });
});
