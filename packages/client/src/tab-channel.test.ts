import { describe, expect, it } from 'vitest';
import { readTabMessage } from './tab-channel.ts';
import { wireNotification } from './testing/fake-gateway.ts';

const notification = wireNotification(1);

describe('readTabMessage', () => {
  it('reads every kind of message the tabs exchange', () => {
    const messages = [
      { kind: 'hello' },
      { kind: 'snapshot', state: { state: 'open', transport: 'ws' }, lastSeq: 4, unreadCount: 2 },
      { kind: 'snapshot', state: { state: 'connecting', transport: undefined }, lastSeq: undefined, unreadCount: undefined },
      { kind: 'frame', frame: { type: 'notification', notification }, since: undefined },
      { kind: 'frame', frame: { type: 'resume_complete', count: 1, last_seq: 1 }, since: 0 },
      { kind: 'state', change: { state: 'reconnecting', transport: 'sse', code: 1006, reason: 'drop', retryInMs: 250 } },
      { kind: 'error', code: 'unauthorized', message: 'refused', details: { code: 1008 } },
      { kind: 'admin', code: 4003, reason: 'bye' },
      { kind: 'replay', since: 3 },
      { kind: 'connect' },
    ];
    for (const message of messages) expect(readTabMessage(message)).toBe(message);
  });

  it('drops what this build cannot read: unknown kinds, bad fields, frames outside the protocol', () => {
    for (const message of [
      null,
      'hello',
      { kind: 'takeover' },
      { kind: 'replay', since: -1 },
      { kind: 'state', change: { state: 'sleeping', transport: 'ws' } },
      { kind: 'frame', frame: { type: 'notification', notification: { ...notification, seq: 0 } }, since: undefined },
      { kind: 'frame', frame: { type: 'bogus' }, since: undefined },
    ]) {
      expect(readTabMessage(message)).toBeUndefined();
    }
  });
});
