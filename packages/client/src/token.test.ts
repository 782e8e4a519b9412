import { describe, expect, it } from 'vitest';
import { fakeJwt } from './testing/fake-gateway.ts';
import { jwtExpiry, jwtSubject, MAX_TIMER_MS, TokenSource } from './token.ts';

describe('jwtExpiry', () => {
  it('decodes exp without verifying, including non-ASCII claims and fractional dates', () => {
    expect(jwtExpiry(fakeJwt({ exp: 1_700_000_000, name: 'Zoë 🎉' }))).toBe(1_700_000_000_000);
    expect(jwtExpiry(fakeJwt({ exp: 1.5 }))).toBe(1_500);
  });

  it('answers undefined for tokens without exp or that are not JWTs', () => {
    expect(jwtExpiry(fakeJwt({}))).toBeUndefined();
    expect(jwtExpiry(fakeJwt({ exp: 'soon' }))).toBeUndefined();
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry('a.!!!.c')).toBeUndefined();
  });
});

describe('jwtSubject', () => {
  it('decodes sub without verifying, and answers undefined when there is none', () => {
    expect(jwtSubject(fakeJwt({ sub: 'zoë@example.com' }))).toBe('zoë@example.com');
    expect(jwtSubject(fakeJwt({ sub: '' }))).toBeUndefined();
    expect(jwtSubject(fakeJwt({ sub: 42 }))).toBeUndefined();
    expect(jwtSubject('opaque-token')).toBeUndefined();
  });
});

describe('TokenSource', () => {
  const now = 1_000_000;
  const at = (ms: number) => fakeJwt({ exp: (now + ms) / 1000 });

  it('refreshes refreshBeforeMs ahead of exp, or at half the remaining life for short tokens', () => {
    const tokens = new TokenSource(
      () => 't',
      30_000,
      () => now,
    );
    expect(tokens.refreshDelay(at(3_600_000))).toBe(3_570_000);
    expect(tokens.refreshDelay(at(20_000))).toBe(10_000);
    expect(tokens.refreshDelay(at(-1))).toBeUndefined();
    expect(tokens.refreshDelay('opaque')).toBeUndefined();
    expect(tokens.refreshDelay(at(100 * 86_400_000))).toBe(MAX_TIMER_MS);
  });

  it('shares one provider call between concurrent callers and caches for REST until stale', async () => {
    let calls = 0;
    let clock = now;
    const tokens = new TokenSource(
      async () => {
        calls++;
        return fakeJwt({ exp: (now + 60_000) / 1000, calls });
      },
      30_000,
      () => clock,
    );
    const [a, b] = await Promise.all([tokens.fresh(), tokens.fresh()]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    expect(await tokens.current()).toBe(a);
    expect(calls).toBe(1);
    clock = now + 31_000;
    expect(await tokens.current()).not.toBe(a);
    expect(calls).toBe(2);
  });

  it('rejects a provider answer that is not a non-empty string', async () => {
    const tokens = new TokenSource(() => '', 30_000);
    await expect(tokens.fresh()).rejects.toMatchObject({ code: 'token_provider_failed' });
  });
});
