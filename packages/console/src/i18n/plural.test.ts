import { describe, expect, it } from 'vitest';
import { fill, formatUtcOffset, lookup, preferredLocale } from './plural.ts';

const strings = { 'recipients.one': '{count} recipient', 'recipients.other': '{count} recipients', hello: 'Hello {name}' };

describe('string lookup', () => {
  it('picks the plural form by count', () => {
    expect(lookup(strings, 'recipients', { count: 1 }, 'en')).toBe('1 recipient');
    expect(lookup(strings, 'recipients', { count: 0 }, 'en')).toBe('0 recipients');
    expect(lookup(strings, 'recipients', { count: 1234 }, 'en')).toBe('1,234 recipients');
    expect(lookup(strings, 'recipients', { count: 1234 }, 'el')).toBe('1.234 recipients');
  });

  it('fills placeholders and keeps unknown ones', () => {
    expect(lookup(strings, 'hello', { name: 'Ada' }, 'en')).toBe('Hello Ada');
    expect(fill('{a} {b}', { a: 'x' }, 'en')).toBe('x {b}');
  });

  it('answers the key when nothing matches', () => {
    expect(lookup(strings, 'missing', undefined, 'en')).toBe('missing');
  });

  it('prefers Greek for el-* browsers', () => {
    expect(preferredLocale(['el-GR', 'en'])).toBe('el');
    expect(preferredLocale(['fr', 'en-US'])).toBe('en');
    expect(preferredLocale(['fr'])).toBe('en');
  });

  it('writes UTC offsets', () => {
    expect(formatUtcOffset(120)).toBe('UTC+02:00');
    expect(formatUtcOffset(-330)).toBe('UTC-05:30');
    expect(formatUtcOffset(0)).toBe('UTC+00:00');
  });
});
