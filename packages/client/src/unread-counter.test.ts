import { describe, expect, it } from 'vitest';
import { UnreadCounter } from './unread-counter.ts';

describe('UnreadCounter', () => {
  it('counts each new unread notification beyond what the server’s count covered, once', () => {
    const counter = new UnreadCounter();
    expect(counter.set(3, 10)).toBe(3);
    expect(counter.delivered({ seq: 9, is_read: false })).toBeUndefined();
    expect(counter.delivered({ seq: 10, is_read: false })).toBeUndefined();
    expect(counter.delivered({ seq: 11, is_read: false })).toBe(4);
    expect(counter.delivered({ seq: 11, is_read: false })).toBeUndefined();
    expect(counter.delivered({ seq: 12, is_read: true })).toBeUndefined();
    expect(counter.delivered({ seq: 13, is_read: false })).toBe(5);
    expect(counter.value).toBe(5);
  });

  it('takes the server’s later count as it is, covering what was delivered before it', () => {
    const counter = new UnreadCounter();
    counter.set(0, 0);
    counter.delivered({ seq: 1, is_read: false });
    expect(counter.set(7, 1)).toBe(7);
    expect(counter.delivered({ seq: 1, is_read: false })).toBeUndefined();
    expect(counter.delivered({ seq: 2, is_read: false })).toBe(8);
  });

  it('adds nothing before the server said a count', () => {
    const counter = new UnreadCounter();
    expect(counter.delivered({ seq: 1, is_read: false })).toBeUndefined();
    expect(counter.value).toBeUndefined();
  });
});
