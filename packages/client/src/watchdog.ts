import { unrefTimer } from './transport.ts';

/**
 * Notices a silent connection. `touch()` on every frame only stores a timestamp; a single timer
 * re-arms itself for the time left, so a busy stream costs no timer churn. Optionally calls
 * `ping` on an interval, so the server always has something to answer (`pong`) even when it has
 * nothing to say.
 */
export class Watchdog {
  private lastSeen = 0;
  private timeoutMs = 0;
  private timeoutTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly onSilent: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** (Re)starts watching: `onSilent` runs once no frame arrived for `timeoutMs`. */
  start(timeoutMs: number, ping?: { everyMs: number; send: () => void }): void {
    this.stop();
    this.timeoutMs = timeoutMs;
    this.lastSeen = this.now();
    this.arm(timeoutMs);
    if (ping) this.pingTimer = unrefTimer(setInterval(ping.send, ping.everyMs));
  }

  /** A frame arrived. */
  touch(): void {
    this.lastSeen = this.now();
  }

  stop(): void {
    clearTimeout(this.timeoutTimer);
    clearInterval(this.pingTimer);
    this.timeoutTimer = undefined;
    this.pingTimer = undefined;
  }

  private arm(delayMs: number): void {
    this.timeoutTimer = unrefTimer(
      setTimeout(() => {
        const left = this.lastSeen + this.timeoutMs - this.now();
        if (left > 0) return this.arm(left);
        this.stop();
        this.onSilent();
      }, delayMs),
    );
  }
}
