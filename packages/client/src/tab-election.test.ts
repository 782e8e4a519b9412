import { describe, expect, it } from 'vitest';
import { TabElection } from './tab-election.ts';
import { waitFor } from './testing/fake-gateway.ts';
import { FakeLocks } from './testing/fake-tabs.ts';

describe('TabElection', () => {
  it('makes the first tab leader, queues the others, and hands over in order when the leader resigns', async () => {
    const locks = new FakeLocks();
    const leaders: string[] = [];
    const first = new TabElection(locks, 'tidings:x', () => leaders.push('first'));
    const second = new TabElection(locks, 'tidings:x', () => leaders.push('second'));
    new TabElection(locks, 'tidings:x', () => leaders.push('third'));
    await waitFor(() => leaders.length === 1, 'a leader');
    expect(leaders).toEqual(['first']);
    expect(locks.waiting('tidings:x')).toBe(2);
    first.resign();
    await waitFor(() => leaders.length === 2, 'the handover');
    second.resign();
    await waitFor(() => leaders.length === 3, 'the next handover');
    expect(leaders).toEqual(['first', 'second', 'third']);
  });

  it('leaves the queue when it resigns before being granted, and resigning twice is harmless', async () => {
    const locks = new FakeLocks();
    const leaders: string[] = [];
    const first = new TabElection(locks, 'tidings:y', () => leaders.push('first'));
    const quitter = new TabElection(locks, 'tidings:y', () => leaders.push('quitter'));
    await waitFor(() => leaders.length === 1, 'a leader');
    quitter.resign();
    quitter.resign();
    expect(locks.waiting('tidings:y')).toBe(0);
    first.resign();
    await waitFor(() => !locks.isHeld('tidings:y'), 'the lock released');
    expect(leaders).toEqual(['first']);
  });

  it('keeps elections of different names apart', async () => {
    const locks = new FakeLocks();
    const leaders: string[] = [];
    new TabElection(locks, 'tidings:alice', () => leaders.push('alice'));
    new TabElection(locks, 'tidings:bob', () => leaders.push('bob'));
    await waitFor(() => leaders.length === 2, 'two leaders');
  });

  it('leads alone when the browser refuses locks (an opaque origin), rather than wait for ever', async () => {
    const refusing = { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) };
    const throwing = {
      request: () => {
        throw new DOMException('opaque origin', 'SecurityError');
      },
    };
    const leaders: string[] = [];
    new TabElection(refusing, 'tidings:z', () => leaders.push('refused'));
    new TabElection(throwing, 'tidings:z', () => leaders.push('thrown'));
    await waitFor(() => leaders.length === 2, 'both lead');
  });
});
