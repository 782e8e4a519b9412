import type { ConnectionState, NotificationPage, TidingsClient, WireNotification } from '@tidings/client';
import { Store } from './store.ts';

/** Which notifications a list shows; the same rules as the API's `GET /v1/notifications`. */
export interface NotificationFilter {
  unreadOnly: boolean;
  type: string | undefined;
  /** Trimmed, and undefined rather than empty. */
  q: string | undefined;
}

/** What {@link NotificationListStore} needs of a client (a `TidingsClient` in the app, a stub in unit tests). */
export type ListClient = Pick<TidingsClient, 'on' | 'markRead' | 'markAllRead' | 'inbox' | 'lastSeq'>;

export interface NotificationListSnapshot {
  /** Newest first (by seq), no id twice. */
  items: WireNotification[];
  /** The first page has not arrived yet, or a page request is in flight. */
  loading: boolean;
  /** Why the last page request failed; cleared by the next one that succeeds. */
  error: Error | undefined;
  /** The server said there are older notifications (`next_cursor` was not null). */
  hasMore: boolean;
}

/** Whether a notification belongs in a list with this filter. */
export function matches(notification: WireNotification, filter: NotificationFilter): boolean {
  if (filter.unreadOnly && notification.is_read) return false;
  if (filter.type !== undefined && notification.type !== filter.type) return false;
  if (filter.q === undefined) return true;
  const q = filter.q.toLowerCase();
  return notification.title.toLowerCase().includes(q) || notification.body.toLowerCase().includes(q);
}

/** Both lists in one, newest first; for an id in both, the entry from `preferred` wins. */
export function merge(preferred: readonly WireNotification[], other: readonly WireNotification[]): WireNotification[] {
  const ids = new Set(preferred.map((n) => n.id));
  return [...preferred, ...other.filter((n) => !ids.has(n.id))].sort((a, b) => b.seq - a.seq);
}

/** Sets `is_read` on the matching items; with `unreadOnly`, the ones now read leave the list instead. */
function setRead(items: WireNotification[], filter: NotificationFilter, read: boolean, affects: (n: WireNotification) => boolean): WireNotification[] {
  if (!items.some((n) => affects(n) && n.is_read !== read)) return items;
  const changed = items.map((n) => (affects(n) && n.is_read !== read ? { ...n, is_read: read } : n));
  return filter.unreadOnly ? changed.filter((n) => !n.is_read) : changed;
}

/** Applies a change that happened on the server (on this device or any other) to a list. */
export type ListChange =
  | { kind: 'arrived'; notification: WireNotification }
  | { kind: 'read' | 'unread' | 'deleted'; ids: readonly string[] }
  | { kind: 'all_read'; type: string | undefined }
  | { kind: 'read_cleared' };

export function applyChange(items: WireNotification[], change: ListChange, filter: NotificationFilter): WireNotification[] {
  switch (change.kind) {
    case 'arrived':
      if (!matches(change.notification, filter) || items.some((n) => n.id === change.notification.id)) return items;
      return merge(items, [change.notification]);
    case 'read':
    case 'unread': {
      const ids = new Set(change.ids);
      return setRead(items, filter, change.kind === 'read', (n) => ids.has(n.id));
    }
    case 'deleted': {
      const ids = new Set(change.ids);
      return items.some((n) => ids.has(n.id)) ? items.filter((n) => !ids.has(n.id)) : items;
    }
    case 'all_read':
      return setRead(items, filter, true, (n) => change.type === undefined || n.type === change.type);
    case 'read_cleared':
      return items.some((n) => n.is_read) ? items.filter((n) => !n.is_read) : items;
  }
}

/**
 * One list of the inbox: the first page over REST, older pages by cursor, live notifications that
 * match the filter prepended, and every read/unread/deleted/all_read event applied as it arrives.
 */
export class NotificationListStore extends Store<NotificationListSnapshot> {
  private cursor: string | null = null;
  /** Bumped by every request and by `refresh`, so an answer that a newer request superseded is dropped. */
  private generation = 0;
  private inFlight = false;
  /** The connection was lost since the list loaded: read/unread/deleted events may have been missed. */
  private lost = false;
  private offClient: Array<() => void> = [];

  constructor(
    private readonly client: ListClient,
    private readonly filter: NotificationFilter,
    private readonly pageSize: number | undefined,
  ) {
    super({ items: [], loading: true, error: undefined, hasMore: false });
  }

  /** Loads the next (older) page; does nothing while a page is loading or when there is none. */
  readonly loadMore = async (): Promise<void> => {
    if (this.inFlight || this.cursor === null) return;
    await this.load(this.cursor);
  };

  /** Loads the first page again and replaces the list with it (older pages are dropped). */
  readonly refresh = (): Promise<void> => this.load(undefined);

  readonly markRead = async (id: string): Promise<void> => {
    await this.client.markRead([id]);
    this.apply({ kind: 'read', ids: [id] });
  };

  readonly markUnread = async (id: string): Promise<void> => {
    await this.client.inbox.markUnread(id);
    this.apply({ kind: 'unread', ids: [id] });
  };

  readonly remove = async (id: string): Promise<void> => {
    await this.client.inbox.delete(id);
    this.apply({ kind: 'deleted', ids: [id] });
  };

  /** Marks everything read, or everything of the list's `type` when it has one. */
  readonly markAllRead = async (): Promise<void> => {
    await this.client.markAllRead(this.filter.type);
    this.apply({ kind: 'all_read', type: this.filter.type });
  };

  /** Deletes every read notification (of any type: the API's bulk delete has no type). */
  readonly clearRead = async (): Promise<void> => {
    await this.client.inbox.deleteMany({ all_read: true });
    this.apply({ kind: 'read_cleared' });
  };

  protected start(): void {
    const apply = (change: ListChange) => this.apply(change);
    this.offClient = [
      this.client.on('notification', (notification) => apply({ kind: 'arrived', notification })),
      this.client.on('read', (ids) => apply({ kind: 'read', ids })),
      this.client.on('unread', (ids) => apply({ kind: 'unread', ids })),
      this.client.on('deleted', (ids) => apply({ kind: 'deleted', ids })),
      this.client.on('all_read', ({ type_filter }) => apply({ kind: 'all_read', type: type_filter })),
      this.client.on('state', ({ state }) => this.onState(state)),
    ];
    // The first reader loads the first page; a later one loads it again, as events went unheard
    // while nobody listened. A page already on its way (StrictMode's second subscribe) will do.
    if (!this.inFlight) void this.load(undefined);
  }

  protected stop(): void {
    for (const off of this.offClient) off();
    this.offClient = [];
  }

  /** The SDK replays missed notifications on reconnect, but not missed reads and deletes: back online, the list starts over. */
  private onState(state: ConnectionState): void {
    if (state === 'reconnecting' || state === 'closed') this.lost = true;
    if (state === 'open' && this.lost) {
      this.lost = false;
      void this.load(undefined);
    }
  }

  private apply(change: ListChange): void {
    const items = applyChange(this.snapshot.items, change, this.filter);
    if (items !== this.snapshot.items) this.snapshot = { ...this.snapshot, items };
  }

  private async load(cursor: string | undefined): Promise<void> {
    const generation = ++this.generation;
    const first = cursor === undefined;
    // Live arrivals during a first-page request have a seq above this; they are kept when it lands.
    const floor = this.client.lastSeq ?? this.snapshot.items[0]?.seq ?? 0;
    this.inFlight = true;
    this.snapshot = { ...this.snapshot, loading: true };
    let page: NotificationPage;
    try {
      page = await this.client.inbox.list({
        limit: this.pageSize,
        cursor,
        unread_only: this.filter.unreadOnly || undefined,
        type: this.filter.type,
        q: this.filter.q,
      });
    } catch (error) {
      if (generation !== this.generation) return;
      this.inFlight = false;
      this.snapshot = { ...this.snapshot, loading: false, error: error instanceof Error ? error : new Error(String(error)) };
      return;
    }
    if (generation !== this.generation) return;
    this.inFlight = false;
    this.cursor = page.next_cursor;
    const current = this.snapshot.items;
    const items = first
      ? merge(
          current.filter((n) => n.seq > floor),
          page.items,
        )
      : merge(current, page.items);
    this.snapshot = { items, loading: false, error: undefined, hasMore: page.next_cursor !== null };
  }
}
