// Runs the services of `npm start` as children, each in its own process group, and keeps them up:
// one that dies is reported loudly and started again with backoff while the others keep serving.
// Node built-ins only: this runs before any install.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { isWindows } from './process.mjs';

/**
 * @typedef {object} ServiceSpec
 * @property {string} name
 * @property {string} command
 * @property {string[]} args
 * @property {Record<string, string | undefined>} env
 * @property {string} cwd
 */

/**
 * @typedef {object} SupervisorOptions
 * @property {(name: string, line: string, stream: 'stdout' | 'stderr') => void} onLine  every line a child writes
 * @property {(line: string) => void} onEvent  what the supervisor itself has to say (deaths, restarts)
 * @property {number} [baseDelayMs]  first restart delay; doubles per consecutive crash. @defaultValue 1000
 * @property {number} [maxDelayMs]  @defaultValue 30000
 * @property {number} [healthyAfterMs]  a child that ran this long counts as healthy: its next crash restarts after baseDelayMs again. @defaultValue 60000
 * @property {number} [stopTimeoutMs]  how long `stop` waits before SIGKILL. @defaultValue 10000
 */

export class Supervisor {
  /** @param {SupervisorOptions} options */
  constructor(options) {
    this.options = { baseDelayMs: 1_000, maxDelayMs: 30_000, healthyAfterMs: 60_000, stopTimeoutMs: 10_000, ...options };
    /** @type {Map<string, { spec: ServiceSpec, child?: import('node:child_process').ChildProcess, crashes: number, restarts: number, startedAt: number, timer?: NodeJS.Timeout }>} */
    this.services = new Map();
    this.stopping = undefined;
  }

  /** @param {ServiceSpec} spec */
  add(spec) {
    this.services.set(spec.name, { spec, crashes: 0, restarts: 0, startedAt: 0 });
    this.#launch(spec.name);
  }

  /** How often each service was started again. */
  restarts() {
    return Object.fromEntries([...this.services].map(([name, state]) => [name, state.restarts]));
  }

  /** Pid of a service's current process, if one runs. */
  pid(name) {
    const child = this.services.get(name)?.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  #launch(name) {
    const state = this.services.get(name);
    if (!state || this.stopping) return;
    const { spec } = state;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches it once, through us, and a kill of the
      // group takes any grandchildren with it.
      detached: !isWindows,
    });
    state.child = child;
    state.startedAt = Date.now();
    for (const stream of /** @type {const} */ (['stdout', 'stderr'])) {
      readline.createInterface({ input: child[stream], crlfDelay: Infinity }).on('line', (line) => this.options.onLine(name, line, stream));
    }
    child.on('error', (error) => this.options.onEvent(`${name}: could not start: ${error.message}`));
    child.on('close', (code, signal) => this.#closed(name, child, code, signal));
  }

  #closed(name, child, code, signal) {
    const state = this.services.get(name);
    if (!state || state.child !== child) return;
    state.child = undefined;
    if (this.stopping) return;
    const ranMs = Date.now() - state.startedAt;
    state.crashes = ranMs >= this.options.healthyAfterMs ? 1 : state.crashes + 1;
    const delay = Math.min(this.options.baseDelayMs * 2 ** (state.crashes - 1), this.options.maxDelayMs);
    const how = signal ? `killed by ${signal}` : `exit ${code}`;
    this.options.onEvent(
      `!!! ${name} died (${how}) after ${(ranMs / 1000).toFixed(1)} s; the other services keep running; restarting ${name} in ${(delay / 1000).toFixed(1)} s` +
        (state.crashes > 1 ? ` (crash ${state.crashes} in a row)` : ''),
    );
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.restarts++;
      this.#launch(name);
    }, delay);
  }

  /**
   * Stops every service with `signal`; SIGKILLs the process groups of those still running after
   * `stopTimeoutMs` (or at once when called again). Resolves when all are gone.
   */
  stop(signal = 'SIGTERM') {
    if (this.stopping) {
      for (const state of this.services.values()) killGroup(state.child);
      return this.stopping;
    }
    const running = [];
    for (const state of this.services.values()) {
      clearTimeout(state.timer);
      if (state.child && state.child.exitCode === null && state.child.signalCode === null) {
        running.push(new Promise((resolve) => state.child.once('close', resolve)));
        try {
          state.child.kill(signal);
        } catch {
          // already gone
        }
      }
    }
    const force = setTimeout(() => {
      for (const [name, state] of this.services) {
        if (!state.child) continue;
        this.options.onEvent(`${name} did not stop within ${this.options.stopTimeoutMs / 1000} s; killing it`);
        killGroup(state.child);
      }
    }, this.options.stopTimeoutMs);
    force.unref();
    this.stopping = Promise.all(running).then(() => clearTimeout(force));
    return this.stopping;
  }

  /** Last resort when this process exits: no child outlives it. */
  killAll() {
    for (const state of this.services.values()) killGroup(state.child);
  }
}

function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (isWindows) child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
