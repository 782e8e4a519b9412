import type { TidingsClient } from '@tidings/client';
import { perClient, Store } from './store.ts';

/** What {@link UnreadCountStore} needs of a client. */
export type CountClient = Pick<TidingsClient, 'on' | 'inbox'>;

/**
 * The server's unread count: `GET /v1/notifications/unread-count` when the first reader mounts,
 * then every `unread_count` event (sent on each connect and after each change). Never counted
 * locally, so it agrees with every other tab and device.
 */
export class UnreadCountStore extends Store<number | undefined> {
  /** Bumped by every event, so a REST answer that an event overtook is dropped. */
  private version = 0;
  private off: (() => void) | undefined;

  constructor(private readonly client: CountClient) {
    super(undefined);
  }

  protected start(): void {
    this.off = this.client.on('unread_count', (count) => {
      this.version++;
      this.snapshot = count;
    });
    const version = ++this.version;
    this.client.inbox.unreadCount().then(
      (count) => {
        if (version === this.version) this.snapshot = count;
      },
      // The gateway sends the count on connect anyway; a failed request only means waiting for it.
      () => undefined,
    );
  }

  protected stop(): void {
    this.off?.();
    this.off = undefined;
    this.version++;
  }
}

export const unreadCountStore = perClient((client: CountClient) => new UnreadCountStore(client));
