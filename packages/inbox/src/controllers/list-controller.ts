import type { ListNotificationsOptions, TidingsClient } from '@tidings/client';
import type { ReactiveControllerHost } from 'lit';
import type { InboxNotification } from '../types.ts';
import { Throttle } from '../util/throttle.ts';

/** What the list shows; an empty `type` or `q` means no filter. */
export interface ListFilters {
  type: string;
  unreadOnly: boolean;
  q: string;
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Notifications per page: enough to fill a tall panel and scroll a while before the next request. */
export const PAGE_SIZE = 50;
/** Items rendered at first and added per step of scrolling: live arrivals never grow the DOM. */
export const RENDER_STEP = 50;
/**
 * Live arrivals reach the list at most this often: one alone shows at once, a burst shows in
 * batches, so the list re-renders (and the browser re-lays it out) ten times a second at most
 * rather than once per frame.
 */
const ARRIVAL_BATCH_MS = 100;

const noFilters: ListFilters = { type: '', unreadOnly: false, q: '' };

/**
 * The inbox list: pages from REST (newest first, by cursor), live arrivals prepended, and read,
 * unread and delete changes from any device applied in place. The user's own changes are applied
 * at once and rolled back when the API refuses them; the unread count is never derived from the
 * list (the bell shows the server's).
 *
 * Only the first `limit` items are rendered, and scrolling to the end raises it (then fetches the
 * next page once every loaded item shows), so a burst of arrivals into an open panel costs the
 * same however many came before.
 */
export class ListController {
  items: InboxNotification[] = [];
  nextCursor: string | null = null;
  status: LoadStatus = 'idle';
  moreStatus: 'idle' | 'loading' | 'error' = 'idle';
  filters: ListFilters = noFilters;
  /** How many of `items` are rendered. */
  limit = RENDER_STEP;

  private client: TidingsClient | undefined;
  /** Bumped by every reload, so an answer to an older query is dropped. */
  private generation = 0;
  /**
   * Live arrivals the list could not take yet (a first page loading, or failed): the page may have
   * been read before they were written, so they join the next page that arrives, never dropped.
   */
  private held: InboxNotification[] = [];
  /** Live arrivals waiting for the next batch, newest first. */
  private arriving: InboxNotification[] = [];
  private readonly batch = new Throttle(ARRIVAL_BATCH_MS, () => this.flushArrivals());

  constructor(private readonly host: ReactiveControllerHost) {}

  /** Whether scrolling further has something to show: items not rendered yet, or another page. */
  get hasMore(): boolean {
    return this.limit < this.items.length || this.nextCursor !== null;
  }

  /** Shows more: the next rendered step of the loaded items, or else the next page. */
  more(): void {
    if (this.limit < this.items.length) {
      this.limit += RENDER_STEP;
      this.host.requestUpdate();
    } else {
      void this.loadMore();
    }
  }

  get filtered(): boolean {
    return this.filters.type !== '' || this.filters.unreadOnly || this.filters.q !== '';
  }

  attach(client: TidingsClient): void {
    this.client = client;
    void this.reload();
  }

  detach(): void {
    this.client = undefined;
    this.batch.cancel();
    this.arriving = [];
    this.held = [];
    this.generation++;
    this.items = [];
    this.nextCursor = null;
    this.status = 'idle';
    this.moreStatus = 'idle';
  }

  setFilters(change: Partial<ListFilters>): void {
    const next = { ...this.filters, ...change };
    if (next.type === this.filters.type && next.unreadOnly === this.filters.unreadOnly && next.q === this.filters.q) return;
    this.filters = next;
    void this.reload();
  }

  clearFilters(): void {
    this.setFilters(noFilters);
  }

  /** Loads the first page again; the current items stay visible until it arrives. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const generation = ++this.generation;
    this.status = 'loading';
    this.moreStatus = 'idle';
    this.limit = RENDER_STEP;
    // Arrivals still waiting for their batch, or held from an earlier attempt, may predate the page
    // being read: keep those that fit the new query.
    this.batch.cancel();
    this.held = [...this.arriving, ...this.held].filter((item) => this.matches(item));
    this.arriving = [];
    this.host.requestUpdate();
    try {
      const page = await client.inbox.list(this.query());
      if (generation !== this.generation) return;
      const ids = new Set(page.items.map((item) => item.id));
      const held = new Map(this.held.filter((item) => !ids.has(item.id)).map((item) => [item.id, item]));
      this.items = [...[...held.values()].sort((a, b) => b.seq - a.seq), ...page.items];
      this.held = [];
      this.nextCursor = page.next_cursor;
      this.status = 'ready';
    } catch {
      if (generation !== this.generation) return;
      this.status = 'error';
    }
    this.host.requestUpdate();
  }

  /** Appends the next page, if there is one and nothing is loading. */
  async loadMore(): Promise<void> {
    const client = this.client;
    const cursor = this.nextCursor;
    if (!client || !cursor || this.status !== 'ready' || this.moreStatus === 'loading') return;
    const generation = this.generation;
    this.moreStatus = 'loading';
    this.host.requestUpdate();
    try {
      const page = await client.inbox.list({ ...this.query(), cursor });
      if (generation !== this.generation) return;
      const ids = new Set(this.items.map((item) => item.id));
      this.items = [...this.items, ...page.items.filter((item) => !ids.has(item.id))];
      this.nextCursor = page.next_cursor;
      this.limit = Math.max(this.limit, Math.min(this.items.length, this.limit + RENDER_STEP));
      this.moreStatus = 'idle';
    } catch {
      if (generation !== this.generation) return;
      this.moreStatus = 'error';
    }
    this.host.requestUpdate();
  }

  /** A live notification: prepended when it passes the filters. Answers whether it was added. */
  received(notification: InboxNotification): boolean {
    if (!this.matches(notification)) return false;
    if (this.status !== 'ready') {
      this.held.unshift(notification);
      return true;
    }
    this.arriving.unshift(notification);
    this.batch.schedule();
    return true;
  }

  private flushArrivals(): void {
    const ids = new Set(this.items.map((item) => item.id));
    const fresh = this.arriving.filter((item) => !ids.has(item.id));
    this.arriving = [];
    if (fresh.length === 0) return;
    this.items = [...fresh, ...this.items];
    this.host.requestUpdate();
  }

  /** Read state changed (here or on another device). */
  markedRead(ids: readonly string[], read: boolean): void {
    const set = new Set(ids);
    this.update((item) => (set.has(item.id) && item.is_read !== read ? { ...item, is_read: read } : item));
  }

  /** Everything, or everything of one type, was marked read. */
  allMarkedRead(type: string | undefined): void {
    this.update((item) => (!item.is_read && (type === undefined || item.type === type) ? { ...item, is_read: true } : item));
  }

  removed(ids: readonly string[]): void {
    const set = new Set(ids);
    this.arriving = this.arriving.filter((item) => !set.has(item.id));
    this.held = this.held.filter((item) => !set.has(item.id));
    const items = this.items.filter((item) => !set.has(item.id));
    if (items.length === this.items.length) return;
    this.items = items;
    this.host.requestUpdate();
  }

  /** Marks one notification read or unread; rolled back and rethrown when the API refuses. */
  async setRead(id: string, read: boolean): Promise<void> {
    const client = this.requireClient();
    this.markedRead([id], read);
    try {
      await (read ? client.inbox.markRead(id) : client.inbox.markUnread(id));
    } catch (error) {
      this.markedRead([id], !read);
      throw error;
    }
  }

  /** Deletes one notification; put back where it was when the API refuses. */
  async remove(id: string): Promise<void> {
    const client = this.requireClient();
    const index = this.items.findIndex((item) => item.id === id);
    const item = this.items[index];
    this.removed([id]);
    try {
      await client.inbox.delete(id);
    } catch (error) {
      if (item && !this.items.some((other) => other.id === id)) {
        this.items = [...this.items.slice(0, index), item, ...this.items.slice(index)];
        this.host.requestUpdate();
      }
      throw error;
    }
  }

  /** Marks everything read, or everything of the filtered type. */
  async markAllRead(): Promise<void> {
    const client = this.requireClient();
    const type = this.filters.type || undefined;
    const changed = this.items.filter((item) => !item.is_read && (type === undefined || item.type === type)).map((item) => item.id);
    this.allMarkedRead(type);
    try {
      await client.inbox.markAllRead(type);
    } catch (error) {
      this.markedRead(changed, false);
      throw error;
    }
  }

  /** Deletes every read notification (all of them, not only the loaded ones). */
  async clearRead(): Promise<void> {
    const client = this.requireClient();
    const before = this.items;
    this.items = before.filter((item) => !item.is_read);
    this.host.requestUpdate();
    try {
      await client.inbox.deleteMany({ all_read: true });
    } catch (error) {
      // Put back what is still missing, in its place, keeping changes that arrived meanwhile.
      const present = new Map(this.items.map((item) => [item.id, item]));
      const earlier = new Set(before.map((item) => item.id));
      this.items = [...this.items.filter((item) => !earlier.has(item.id)), ...before.map((item) => present.get(item.id) ?? item)];
      this.host.requestUpdate();
      throw error;
    }
  }

  private matches(notification: InboxNotification): boolean {
    const { type, unreadOnly, q } = this.filters;
    if (type && notification.type !== type) return false;
    if (unreadOnly && notification.is_read) return false;
    if (q) {
      const needle = q.toLocaleLowerCase();
      if (!notification.title.toLocaleLowerCase().includes(needle) && !notification.body.toLocaleLowerCase().includes(needle)) return false;
    }
    return true;
  }

  private query(): ListNotificationsOptions {
    const { type, unreadOnly, q } = this.filters;
    const query: ListNotificationsOptions = { limit: PAGE_SIZE };
    if (type) query.type = type;
    if (unreadOnly) query.unread_only = true;
    if (q) query.q = q;
    return query;
  }

  /** Applies `change` to every item, including arrivals waiting for their batch. */
  private update(change: (item: InboxNotification) => InboxNotification): void {
    this.arriving = this.arriving.map(change);
    let changed = false;
    const items = this.items.map((item) => {
      const next = change(item);
      if (next !== item) changed = true;
      return next;
    });
    if (!changed) return;
    this.items = items;
    this.host.requestUpdate();
  }

  private requireClient(): TidingsClient {
    if (!this.client) throw new Error('not connected');
    return this.client;
  }
}
