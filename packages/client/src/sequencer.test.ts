import { describe, expect, it } from 'vitest';
import { Sequencer, type SequencerStep } from './sequencer.ts';
import { wireNotification } from './testing/fake-gateway.ts';

const n = (seq: number) => wireNotification(seq);
const seqs = (step: SequencerStep) => step.deliver.map((d) => d.seq);

/** A sequencer on an open connection that started at `last` (no resume pending). */
function fresh(last = 0): Sequencer {
  const sequencer = new Sequencer(undefined);
  sequencer.startConnection();
  sequencer.established(last);
  return sequencer;
}

describe('Sequencer', () => {
  it('delivers consecutive seqs and drops duplicates', () => {
    const s = fresh();
    expect(seqs(s.notification(n(1)))).toEqual([1]);
    expect(seqs(s.notification(n(2)))).toEqual([2]);
    expect(seqs(s.notification(n(1)))).toEqual([]);
    expect(seqs(s.notification(n(2)))).toEqual([]);
    expect(s.lastSeq).toBe(2);
  });

  it('holds a frame after a gap, asks once, and drains in order when the gap fills', () => {
    const s = fresh();
    s.notification(n(1));
    expect(s.notification(n(3))).toEqual({ deliver: [], resumeSince: 1 });
    expect(s.notification(n(4))).toEqual({ deliver: [] }); // one resume outstanding is enough
    expect(s.notification(n(3))).toEqual({ deliver: [] }); // already held
    expect(seqs(s.notification(n(2)))).toEqual([2, 3, 4]);
    expect(seqs(s.resumeComplete(4))).toEqual([]);
    expect(s.lastSeq).toBe(4);
    expect(s.heldCount).toBe(0);
  });

  it('advances past holes resume_complete confirms are gone (deleted notifications)', () => {
    const s = fresh();
    s.notification(n(1));
    expect(s.notification(n(4)).resumeSince).toBe(1);
    expect(seqs(s.notification(n(4)))).toEqual([]); // the replay resends 4; 2 and 3 were deleted
    expect(seqs(s.resumeComplete(4))).toEqual([4]);
    expect(s.lastSeq).toBe(4);
    expect(seqs(s.notification(n(5)))).toEqual([5]);
  });

  it('asks again when a gap outlives resume_complete, then gives up after maxGapResumes', () => {
    const s = new Sequencer(undefined, 2);
    s.startConnection();
    s.established(0);
    s.notification(n(1));
    expect(s.notification(n(5)).resumeSince).toBe(1);
    expect(s.resumeComplete(2)).toEqual({ deliver: [], resumeSince: 2 });
    expect(s.resumeComplete(2)).toEqual({ deliver: [], resumeSince: 2 });
    const last = s.resumeComplete(2);
    expect(seqs(last)).toEqual([5]);
    expect(last.skipped).toEqual({ from: 3, to: 4 });
    expect(s.lastSeq).toBe(5);
  });

  it('connects with since = lastSeq and treats the connect-time replay as the resume', () => {
    const s = new Sequencer(10);
    expect(s.startConnection()).toBe(10);
    expect(s.established(20)).toEqual({});
    expect(s.notification(n(12))).toEqual({ deliver: [] }); // 11 was deleted; no second resume
    expect(seqs(s.resumeComplete(20))).toEqual([12]);
    expect(s.lastSeq).toBe(20);
  });

  it('starts at the server newest seq without since, and starts over when since is ahead of the server', () => {
    const s = new Sequencer(undefined);
    expect(s.startConnection()).toBeUndefined();
    expect(s.established(7)).toEqual({});
    expect(s.lastSeq).toBe(7);

    const ahead = new Sequencer(50);
    ahead.startConnection();
    expect(ahead.established(3)).toEqual({ resetFrom: 50 });
    expect(seqs(ahead.notification(n(4)))).toEqual([4]);
  });

  it('forgets held frames on a new connection, whose replay sends them again', () => {
    const s = fresh();
    s.notification(n(1));
    s.notification(n(3));
    expect(s.startConnection()).toBe(1);
    expect(s.heldCount).toBe(0);
    expect(seqs(s.notification(n(2)))).toEqual([2]);
    expect(seqs(s.notification(n(3)))).toEqual([3]);
  });

  it('joins another tab at its lastSeq, or asks for a replay when its own since is older', () => {
    const fresh = new Sequencer(undefined);
    expect(fresh.join(8)).toEqual({});
    expect(fresh.lastSeq).toBe(8);
    expect(seqs(fresh.notification(n(9)))).toEqual([9]);

    const behind = new Sequencer(3);
    expect(behind.join(8)).toEqual({ resumeSince: 3 });
    expect(behind.notification(n(9))).toEqual({ deliver: [] }); // the replay asked at the join is on its way
    expect(seqs(behind.notification(n(4)))).toEqual([4]);

    const ahead = new Sequencer(30);
    expect(ahead.join(8)).toEqual({ resetFrom: 30 });
    expect(ahead.lastSeq).toBe(8);

    const unknown = new Sequencer(5);
    expect(unknown.join(undefined)).toEqual({});
    expect(unknown.lastSeq).toBe(5);
    expect(unknown.notification(n(7))).toEqual({ deliver: [], resumeSince: 5 });
  });

  it('drops held frames when it joins, since the source tab carries on from its own lastSeq', () => {
    const s = fresh();
    s.notification(n(1));
    s.notification(n(3));
    expect(s.join(1)).toEqual({});
    expect(s.heldCount).toBe(0);
    expect(seqs(s.notification(n(2)))).toEqual([2]);
    expect(seqs(s.notification(n(3)))).toEqual([3]);
  });
});
