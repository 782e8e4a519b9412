/** A listener for one event; it receives the event's single payload. */
export type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter that works the same in browsers and Node. Unlike Node's
 * EventEmitter it never throws from `emit`: the emitter is called from socket callbacks, where a
 * throw would either kill the process (Node) or silently stop the client (browsers). A listener
 * that throws is reported through `onListenerError` instead, and the other listeners still run.
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (event: keyof Events, error: unknown) => void = () => {}) {}

  /** Adds a listener; answers a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener that runs once; answers a function that removes it. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Answers how many listeners an event has. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Calls every listener of `event` with `payload`, in the order they were added. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // A copy, so a listener that removes itself (or adds another) does not disturb this round.
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
