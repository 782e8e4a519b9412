/**
 * The part of the Web Locks API (`navigator.locks`) the SDK uses. Structural, so the SDK needs no
 * DOM types and tests can pass an in-memory one.
 */
export interface LockManagerLike {
  /**
   * Queues for the exclusive lock `name` and calls `callback` once it is granted; the lock is held
   * until the promise `callback` answers settles, or until the tab that holds it closes or crashes.
   * Aborting `signal` before the grant takes the request out of the queue (the promise rejects).
   */
  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

/**
 * Leadership among the tabs of one browser: the tab holding the Web Lock `name` leads, the others
 * wait in the lock's queue. The browser releases a lock when its tab closes, navigates away or
 * crashes, and then grants it to the next tab in line: that is the whole handover, with no
 * heartbeats between tabs and never two leaders at once. One election per start: after `resign`
 * it does nothing more.
 */
export class TabElection {
  private readonly abort = new AbortController();
  private releaseLock: (() => void) | undefined;
  private resigned = false;

  /**
   * Queues for the lock at once; `onLeader` runs when it is granted (at once when no other tab
   * holds it), or when the browser refuses locks altogether (an opaque origin such as a sandboxed
   * iframe): that tab then connects on its own rather than wait for ever.
   */
  constructor(locks: LockManagerLike, name: string, onLeader: () => void) {
    let granted = false;
    const refused = () => {
      // An AbortError after `resign` took the request out of the queue is not a refusal.
      if (!granted && !this.resigned) onLeader();
    };
    try {
      locks
        .request(name, { signal: this.abort.signal }, () => {
          granted = true;
          if (this.resigned) return Promise.resolve();
          return new Promise<void>((release) => {
            this.releaseLock = release;
            onLeader();
          });
        })
        .catch(refused);
    } catch {
      queueMicrotask(refused);
    }
  }

  /** Releases the lock, or leaves the queue. Idempotent. */
  resign(): void {
    this.resigned = true;
    this.abort.abort();
    this.releaseLock?.();
  }
}
