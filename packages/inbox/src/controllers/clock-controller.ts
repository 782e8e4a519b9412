import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * "Now" for relative times ("5 minutes ago"): ticks while running and asks the host to render
 * again, so the times age without a timer per item. Stopped while nobody sees the times.
 */
export class ClockController implements ReactiveController {
  /** The time the host renders with, in ms since the epoch; changes once per tick. */
  now = Date.now();
  private running = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Relative times change at most once a minute, so half of that is always fresh enough. */
    private readonly intervalMs = 30_000,
  ) {
    host.addController(this);
  }

  /** Starts or stops ticking; starting also takes a fresh "now". */
  run(on: boolean): void {
    if (on === this.running) return;
    this.running = on;
    if (on) {
      this.now = Date.now();
      this.start();
    } else {
      this.stop();
    }
  }

  hostConnected(): void {
    if (this.running) this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private start(): void {
    this.timer ??= setInterval(() => {
      this.now = Date.now();
      this.host.requestUpdate();
    }, this.intervalMs);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
