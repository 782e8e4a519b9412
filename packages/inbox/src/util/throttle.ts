/**
 * Runs `run` at most once per `intervalMs`: soon after a quiet spell, otherwise at the end of
 * the current window, so a burst of changes costs one render per window, not one per change.
 */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => void,
  ) {}

  schedule(): void {
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        this.lastRun = Date.now();
        this.run();
      },
      Math.max(0, this.lastRun + this.intervalMs - Date.now()),
    );
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
