import type { BroadcastChannelConstructor, BroadcastChannelLike } from '../tab-channel.ts';
import type { LockManagerLike } from '../tab-election.ts';

interface LockRequest {
  callback: (lock: unknown) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Web Locks in memory, as one browser's `navigator.locks` behaves for exclusive locks: requests
 * queue in order, the callback runs asynchronously once granted, the lock is held until the
 * callback's promise settles, and aborting a queued request rejects it with an AbortError.
 */
export class FakeLocks implements LockManagerLike {
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, LockRequest[]>();

  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const abortError = () => new DOMException('the request was aborted', 'AbortError');
      if (options.signal?.aborted) return reject(abortError());
      const request: LockRequest = { callback, resolve, reject };
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push(request);
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(request);
        if (index < 0) return;
        queue.splice(index, 1);
        reject(abortError());
      });
      this.grant(name);
    });
  }

  /** Whether someone holds `name`. */
  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  /** How many requests wait for `name`. */
  waiting(name: string): number {
    return this.queues.get(name)?.length ?? 0;
  }

  private grant(name: string): void {
    if (this.held.has(name)) return;
    const next = this.queues.get(name)?.shift();
    if (!next) return;
    this.held.add(name);
    setTimeout(() => {
      Promise.resolve()
        .then(() => next.callback({ name, mode: 'exclusive' }))
        .then(next.resolve, next.reject)
        .finally(() => {
          this.held.delete(name);
          this.grant(name);
        });
    }, 0);
  }
}

/**
 * BroadcastChannels of one browser in memory: a message reaches every other open channel of the
 * same name (never the sender), asynchronously, in the order it was posted, as a structured clone
 * (so a message the browser could not clone fails here too). `posted` records every message.
 */
export class FakeChannels {
  readonly posted: Array<{ name: string; message: unknown }> = [];
  readonly BroadcastChannel: BroadcastChannelConstructor;
  private readonly open = new Set<{ name: string; channel: BroadcastChannelLike }>();

  constructor() {
    const { posted, open } = this;
    this.BroadcastChannel = class implements BroadcastChannelLike {
      onmessage: BroadcastChannelLike['onmessage'] = null;
      private readonly entry = { name: '', channel: this as BroadcastChannelLike };
      private closed = false;

      constructor(name: string) {
        this.entry.name = name;
        open.add(this.entry);
      }

      postMessage(message: unknown): void {
        if (this.closed) throw new DOMException('the channel is closed', 'InvalidStateError');
        posted.push({ name: this.entry.name, message });
        const receivers = [...open].filter((other) => other.name === this.entry.name && other !== this.entry);
        for (const receiver of receivers) {
          const data = structuredClone(message);
          setTimeout(() => {
            if (open.has(receiver)) receiver.channel.onmessage?.({ data });
          }, 0);
        }
      }

      close(): void {
        this.closed = true;
        open.delete(this.entry);
      }
    };
  }

  /** Messages of one kind posted so far. */
  kinds(kind: string): unknown[] {
    return this.posted.map((p) => p.message).filter((m) => (m as { kind?: unknown }).kind === kind);
  }
}
