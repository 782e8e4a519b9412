/**
 * The smallest external store `useSyncExternalStore` needs: an immutable snapshot, listeners, and
 * `start`/`stop` called when the first listener arrives and the last one leaves (so client
 * listeners and requests live exactly as long as some component reads the store).
 */
export abstract class Store<S> {
  private readonly listeners = new Set<() => void>();

  protected constructor(private current: S) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  };

  readonly getSnapshot = (): S => this.current;

  protected get snapshot(): S {
    return this.current;
  }

  protected set snapshot(next: S) {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener();
  }

  protected abstract start(): void;
  protected abstract stop(): void;
}

/** One store per client, shared by every component that reads it. */
export function perClient<K extends object, S>(create: (key: K) => S): (key: K) => S {
  const stores = new WeakMap<K, S>();
  return (key) => {
    let store = stores.get(key);
    if (store === undefined) stores.set(key, (store = create(key)));
    return store;
  };
}
