import { describe, expect, it } from 'vitest';
import { Backoff, fullJitterDelay } from './backoff.ts';

const options = { baseMs: 100, capMs: 1_000, stableAfterMs: 10_000 };

describe('full-jitter backoff', () => {
  it('draws each delay from [0, min(cap, base * 2^attempt))', () => {
    const top = (attempt: number) => fullJitterDelay(attempt, { ...options, random: () => 0.999_999 });
    const bottom = (attempt: number) => fullJitterDelay(attempt, { ...options, random: () => 0 });
    expect([0, 1, 2, 3, 4, 5, 40].map(top)).toEqual([99, 199, 399, 799, 999, 999, 999]);
    expect([0, 1, 5, 40].map(bottom)).toEqual([0, 0, 0, 0]);
    expect(fullJitterDelay(2, { ...options, random: () => 0.5 })).toBe(200);
  });

  it('stays within the window for any random draw, and the window widens then caps', () => {
    let draws = 0;
    const backoff = new Backoff({ ...options, random: () => (draws++ * 0.37) % 1 });
    for (let attempt = 0; attempt < 12; attempt++) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(options.capMs, options.baseMs * 2 ** attempt));
    }
    expect(backoff.attempt).toBe(12);
  });

  it('starts over after reset, and immediate() stays in the first window without counting', () => {
    const backoff = new Backoff({ ...options, random: () => 0.999 });
    backoff.next();
    backoff.next();
    backoff.next();
    expect(backoff.immediate()).toBe(99);
    expect(backoff.attempt).toBe(3);
    backoff.reset();
    expect(backoff.next()).toBe(99);
  });
});
