/**
 * Each user's seqs as the SDK keeps them (with `trackSeqs`, the soak): what a reconnect resumes
 * from, and the counts of duplicate and early frames.
 */
import type { DeliveryStats } from './worker-protocol.ts';

/** Per user: the newest seq with every one before it received (the SDK's lastSeq), and seqs that came past a hole. */
const seqs = new Map<number, { last: number; early: Set<number> }>();
const delivery = { frames: 0, duplicates: 0, sameConnectionDuplicates: 0, early: 0, resumes: 0, replayed: 0 };

/** A first connection starts from the server's newest seq in its `connection_established` greeting, as the SDK does without `since`. */
export function startSeqs(user: number, greeting: string): void {
  if (!seqs.has(user)) seqs.set(user, { last: (JSON.parse(greeting) as { last_seq: number }).last_seq, early: new Set() });
}

/**
 * Dedupe by seq as the SDK's sequencer does, without asking for gaps (a later resume fills them).
 * `seen` holds the seqs this very connection received: a gateway must never write one twice to the same socket.
 */
export function sequence(user: number, seen: Set<number>, seq: number): void {
  const state = seqs.get(user)!;
  delivery.frames++;
  if (seen.has(seq)) delivery.sameConnectionDuplicates++;
  seen.add(seq);
  if (seq <= state.last || state.early.has(seq)) {
    delivery.duplicates++;
    return;
  }
  if (seq !== state.last + 1) {
    delivery.early++;
    state.early.add(seq);
    return;
  }
  state.last = seq;
  while (state.early.delete(state.last + 1)) state.last++;
}

/** Everything up to `lastSeq` that exists has been sent: a seq still missing below it is gone. */
export function resumeComplete(user: number, count: number, lastSeq: number): void {
  const state = seqs.get(user)!;
  delivery.resumes++;
  delivery.replayed += count;
  state.last = Math.max(state.last, lastSeq);
  for (const seq of state.early) if (seq <= state.last) state.early.delete(seq);
  while (state.early.delete(state.last + 1)) state.last++;
}

/** The newest seq `user` received with none missing before it: where a reconnect resumes from. */
export function resumeFrom(user: number): number | undefined {
  return seqs.get(user)?.last;
}

/** The counts so far, with `down` users that have no open connection. */
export function deliveryStats(down: number): DeliveryStats {
  return { ...delivery, down };
}
