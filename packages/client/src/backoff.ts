/** Reconnect delays. Every field is optional in {@link TidingsClientOptions.backoff}. */
export interface BackoffOptions {
  /**
   * Delay ceiling of the first retry, in ms; it doubles with each failed attempt.
   * @defaultValue 500
   */
  baseMs: number;
  /**
   * Largest delay ceiling, in ms.
   * @defaultValue 30000
   */
  capMs: number;
  /**
   * A connection that stayed open this long (ms) counts as stable: the next drop starts again from
   * the first attempt.
   * @defaultValue 10000
   */
  stableAfterMs: number;
  /**
   * Source of randomness in [0, 1); injectable for tests.
   * @defaultValue Math.random
   */
  random: () => number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, capMs: 30_000, stableAfterMs: 10_000, random: Math.random };

/**
 * Exponential backoff with FULL jitter: `random(0, min(cap, base * 2^attempt))`. Full jitter
 * rather than "delay ± a little" because after a gateway restart thousands of clients drop at the
 * same instant; spreading each retry over the whole window is what keeps them from arriving
 * together again (AWS Architecture Blog, "Exponential Backoff and Jitter").
 */
export function fullJitterDelay(attempt: number, options: Pick<BackoffOptions, 'baseMs' | 'capMs' | 'random'>): number {
  // 2^attempt overflows to Infinity long after it passes any cap; min() keeps it finite.
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return Math.floor(options.random() * ceiling);
}

/** Counts failed attempts and answers the delay before the next one. */
export class Backoff {
  private attempts = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The delay before the next attempt; each call widens the window for the one after. */
  next(): number {
    return fullJitterDelay(this.attempts++, this.options);
  }

  /**
   * A delay within the first window, without counting an attempt: for closes that ask the client
   * to come back at once (a draining gateway), still spread so its clients do not all land in
   * the same millisecond.
   */
  immediate(): number {
    return fullJitterDelay(0, this.options);
  }

  /** Starts again from the first attempt (after a stable connection). */
  reset(): void {
    this.attempts = 0;
  }
}
