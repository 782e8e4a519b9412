import { describe, expect, it } from 'vitest';
import { Connection, type Sink } from './connection.ts';

function recording(): Sink & { seqs: (number | undefined)[] } {
  const seqs: (number | undefined)[] = [];
  return { kind: 'ws', seqs, write: (_frame, seq) => void seqs.push(seq), bufferedBytes: () => 0, close: () => {}, terminate: () => {} };
}

describe('a connection', () => {
  it('holds live frames during a replay and writes them after it, in order, without the ones it covered', () => {
    const sink = recording();
    const connection = new Connection('c', 'u', sink, '');
    connection.beginReplay();
    connection.deliver(5, 't', 'f5');
    connection.deliver(4, 't', 'f4');
    connection.replayed(3, 't', 'f3');
    connection.replayed(4, 't', 'f4');
    expect(connection.endReplay(4)).toBe(1);
    expect(sink.seqs).toEqual([3, 4, 5]);
  });

  it('drops a live frame that arrives after the replay that already wrote it (committed before, published after)', () => {
    const sink = recording();
    const connection = new Connection('c', 'u', sink, '');
    connection.beginReplay();
    connection.replayed(1, 't', 'f1');
    connection.replayed(2, 't', 'f2');
    connection.endReplay(2);
    expect(connection.deliver(2, 't', 'f2')).toBe(false);
    expect(connection.deliver(3, 't', 'f3')).toBe(true);
    expect(sink.seqs).toEqual([1, 2, 3]);
  });

  it('still writes live frames of one user that arrive out of order outside a replay', () => {
    const sink = recording();
    const connection = new Connection('c', 'u', sink, '');
    connection.beginReplay();
    connection.endReplay(0);
    connection.deliver(2, 't', 'f2');
    connection.deliver(1, 't', 'f1');
    expect(sink.seqs).toEqual([2, 1]);
  });
});
