import { describe, expect, it } from 'vitest';
import { isEmailStatus, isSuppressionReason, shortError } from './model.ts';

describe('email model', () => {
  it('shortens an error to its first line', () => {
    expect(shortError('550 mailbox unavailable\nmore detail')).toBe('550 mailbox unavailable');
    expect(shortError('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(shortError('short')).toBe('short');
  });

  it('knows the statuses and reasons', () => {
    expect(isEmailStatus('failed')).toBe(true);
    expect(isEmailStatus('nope')).toBe(false);
    expect(isEmailStatus(null)).toBe(false);
    expect(isSuppressionReason('manual')).toBe(true);
    expect(isSuppressionReason('sent')).toBe(false);
  });
});
