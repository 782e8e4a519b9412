import { describe, expect, it } from 'vitest';
import { resolveChannels, type TypeSettings } from './preferences.ts';

const comment: TypeSettings = { key: 'comment', default_in_app: true, default_email: true, critical: false };
const withEmail = { hasEmail: true, unsubscribed: false };
const prefs = (over: Partial<{ in_app_enabled: boolean; email_enabled: boolean; types: Record<string, { in_app?: boolean; email?: boolean }> }> = {}) => ({
  in_app_enabled: true,
  email_enabled: true,
  types: {},
  ...over,
});

describe('resolveChannels', () => {
  it('follows the type defaults when the user said nothing', () => {
    expect(resolveChannels(undefined, comment, false, withEmail)).toEqual({ inApp: true, email: true });
    expect(resolveChannels(undefined, { ...comment, default_email: false }, false, withEmail)).toEqual({ inApp: true, email: false });
  });

  it('lets a per-type override win over the default', () => {
    expect(resolveChannels(prefs({ types: { comment: { email: false } } }), comment, false, withEmail)).toEqual({ inApp: true, email: false });
    expect(resolveChannels(prefs({ types: { comment: { in_app: true } } }), { ...comment, default_in_app: false }, false, withEmail).inApp).toBe(true);
  });

  it('lets the global switches win over everything', () => {
    expect(resolveChannels(prefs({ in_app_enabled: false, types: { comment: { in_app: true } } }), comment, false, withEmail).inApp).toBe(false);
    expect(resolveChannels(prefs({ email_enabled: false }), comment, true, withEmail).email).toBe(false);
  });

  it('ignores per-type opt-outs for critical notifications', () => {
    const optedOut = prefs({ types: { comment: { in_app: false, email: false } } });
    expect(resolveChannels(optedOut, comment, true, withEmail)).toEqual({ inApp: true, email: true });
  });

  it('never emails without an address or after an unsubscribe, critical or not', () => {
    expect(resolveChannels(undefined, comment, true, { hasEmail: false, unsubscribed: false }).email).toBe(false);
    expect(resolveChannels(undefined, comment, true, { hasEmail: true, unsubscribed: true }).email).toBe(false);
  });
});
