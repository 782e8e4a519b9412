import { describe, expect, test, vi } from 'vitest';
import type { NotificationPage, Preferences, WireNotification } from '@tidings/client';
import { applyChange, matches, NotificationListStore, type ListClient, type NotificationFilter } from '../src/notification-list.ts';
import { PreferencesStore, type PreferencesClient } from '../src/preferences.ts';
import { UnreadCountStore, type CountClient } from '../src/unread-count.ts';

function note(seq: number, overrides: Partial<WireNotification> = {}): WireNotification {
  return {
    id: `00000000-0000-4000-8000-${seq.toString().padStart(12, '0')}`,
    seq,
    type: 'comment.created',
    title: `notification ${seq}`,
    body: '',
    data: {},
    icon: null,
    action_url: null,
    priority: 'normal',
    created_at: new Date(seq * 1000).toISOString(),
    is_read: false,
    ...overrides,
  };
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A client's events and the REST calls the stores make, each answered by the test. */
class StubClient {
  lastSeq: number | undefined = undefined;
  readonly pages: Array<ReturnType<typeof deferred<NotificationPage>>> = [];
  readonly listQueries: unknown[] = [];
  readonly markRead = vi.fn(async (_ids: readonly string[]) => undefined);
  readonly markAllRead = vi.fn(async (_type?: string) => undefined);
  readonly inbox = {
    list: (query: unknown) => {
      this.listQueries.push(query);
      const page = deferred<NotificationPage>();
      this.pages.push(page);
      return page.promise;
    },
    markUnread: vi.fn(async (_id: string) => undefined),
    delete: vi.fn(async (_id: string) => undefined),
    deleteMany: vi.fn(async () => 0),
    unreadCount: vi.fn(() => this.count.promise),
    types: vi.fn(async () => [{ key: 'comment.created', description: null, default_in_app: true, default_email: false, critical: false }]),
  };
  count = deferred<number>();
  preferencesAnswer = deferred<Preferences>();
  readonly preferences = {
    get: vi.fn(() => this.preferencesAnswer.promise),
    update: vi.fn(async (change: Partial<Preferences>) => ({ ...doc, ...change })),
  };
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();

  on(event: string, listener: (payload: never) => void): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return () => this.listeners.get(event)!.delete(listener);
  }

  emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: unknown) => void)(payload);
  }

  listenerCount(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

const doc: Preferences = { in_app_enabled: true, email_enabled: false, digest: 'off', types: {} };
const all: NotificationFilter = { unreadOnly: false, type: undefined, q: undefined };
const page = (items: WireNotification[], next_cursor: string | null = null): NotificationPage => ({
  items: items.map((n) => ({ ...n, user_id: 'alice', read_at: null, type: n.type })),
  next_cursor,
});
const titles = (store: NotificationListStore) => store.getSnapshot().items.map((n) => n.seq);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function listStore(filter: NotificationFilter = all, pageSize?: number) {
  const client = new StubClient();
  const store = new NotificationListStore(client as unknown as ListClient, filter, pageSize);
  return { client, store };
}

describe('matches and applyChange', () => {
  test('match the API’s filter: unread only, type, and text in the title or body, any case', () => {
    expect(matches(note(1, { is_read: true }), { ...all, unreadOnly: true })).toBe(false);
    expect(matches(note(1, { type: 'security.alert' }), { ...all, type: 'comment.created' })).toBe(false);
    expect(matches(note(1, { body: 'Your Invoice is ready' }), { ...all, q: 'invoice' })).toBe(true);
    expect(matches(note(1, { title: 'INVOICE' }), { ...all, q: 'invoice' })).toBe(true);
    expect(matches(note(1), { ...all, q: 'invoice' })).toBe(false);
  });

  test('an arrival goes in by seq once; all_read with a type reads only that type; an unread-only list drops what gets read', () => {
    const items = [note(3), note(1)];
    expect(applyChange(items, { kind: 'arrived', notification: note(2) }, all).map((n) => n.seq)).toEqual([3, 2, 1]);
    expect(applyChange(items, { kind: 'arrived', notification: note(3) }, all)).toBe(items);
    const mixed = [note(2, { type: 'security.alert' }), note(1)];
    expect(applyChange(mixed, { kind: 'all_read', type: 'security.alert' }, all).map((n) => n.is_read)).toEqual([true, false]);
    expect(applyChange(items, { kind: 'read', ids: [note(3).id] }, { ...all, unreadOnly: true }).map((n) => n.seq)).toEqual([1]);
    expect(applyChange(items, { kind: 'read', ids: ['not-there'] }, all)).toBe(items);
  });
});

describe('NotificationListStore', () => {
  test('loads the first page when the first reader subscribes, and keeps arrivals that came during the request', async () => {
    const { client, store } = listStore(all, 2);
    client.lastSeq = 5;
    const stop = store.subscribe(() => {});
    expect(store.getSnapshot().loading).toBe(true);
    expect(client.listQueries).toEqual([{ limit: 2, cursor: undefined, unread_only: undefined, type: undefined, q: undefined }]);
    client.emit('notification', note(6));
    client.pages[0]!.resolve(page([note(5), note(4)], '4'));
    await settle();
    expect(titles(store)).toEqual([6, 5, 4]);
    expect(store.getSnapshot()).toMatchObject({ loading: false, hasMore: true, error: undefined });
    stop();
    expect(client.listenerCount()).toBe(0);
  });

  test('a second subscription while the first page is in flight (StrictMode) sends no second request', () => {
    const { client, store } = listStore();
    store.subscribe(() => {})();
    store.subscribe(() => {});
    expect(client.pages).toHaveLength(1);
  });

  test('loadMore sends the cursor, ignores calls while a page loads, and a refresh drops what it superseded', async () => {
    const { client, store } = listStore();
    store.subscribe(() => {});
    client.pages[0]!.resolve(page([note(5), note(4)], '4'));
    await settle();
    const more = store.loadMore();
    void store.loadMore();
    expect(client.listQueries).toHaveLength(2);
    expect(client.listQueries[1]).toMatchObject({ cursor: '4' });
    const refresh = store.refresh();
    client.pages[1]!.resolve(page([note(3)], '3'));
    client.pages[2]!.resolve(page([note(5)], null));
    await Promise.all([more, refresh]);
    expect(titles(store)).toEqual([5]);
    expect(store.getSnapshot().hasMore).toBe(false);
    await store.loadMore();
    expect(client.listQueries).toHaveLength(3);
  });

  test('back online after the connection was lost, the list loads the first page again', async () => {
    const { client, store } = listStore();
    store.subscribe(() => {});
    client.pages[0]!.resolve(page([note(2), note(1)]));
    await settle();
    client.emit('state', { state: 'open', transport: 'ws' });
    expect(client.pages).toHaveLength(1);
    client.emit('state', { state: 'reconnecting', transport: 'ws' });
    client.emit('state', { state: 'open', transport: 'ws' });
    expect(client.pages).toHaveLength(2);
    client.pages[1]!.resolve(page([note(2)]));
    await settle();
    expect(titles(store)).toEqual([2]);
  });

  test('a failed page shows as error and does not reject; the next one clears it', async () => {
    const { client, store } = listStore();
    store.subscribe(() => {});
    client.pages[0]!.reject(new Error('offline'));
    await settle();
    expect(store.getSnapshot()).toMatchObject({ loading: false, error: new Error('offline') });
    const refresh = store.refresh();
    client.pages[1]!.resolve(page([note(1)]));
    await refresh;
    expect(store.getSnapshot()).toMatchObject({ error: undefined, items: [note(1)] });
  });

  test('actions call the client and show their result without waiting for the event', async () => {
    const { client, store } = listStore({ ...all, type: 'comment.created' });
    store.subscribe(() => {});
    client.pages[0]!.resolve(page([note(3), note(2, { is_read: true }), note(1)]));
    await settle();
    await store.markRead(note(3).id);
    expect(client.markRead).toHaveBeenCalledWith([note(3).id]);
    await store.markUnread(note(2).id);
    expect(client.inbox.markUnread).toHaveBeenCalledWith(note(2).id);
    await store.remove(note(1).id);
    expect(store.getSnapshot().items.map((n) => [n.seq, n.is_read])).toEqual([
      [3, true],
      [2, false],
    ]);
    await store.markAllRead();
    expect(client.markAllRead).toHaveBeenCalledWith('comment.created');
    await store.clearRead();
    expect(client.inbox.deleteMany).toHaveBeenCalledWith({ all_read: true });
    expect(store.getSnapshot().items).toEqual([]);
  });

  test('an action the server refuses rejects and changes nothing', async () => {
    const { client, store } = listStore();
    store.subscribe(() => {});
    client.pages[0]!.resolve(page([note(1)]));
    await settle();
    client.inbox.delete.mockRejectedValueOnce(new Error('forbidden'));
    await expect(store.remove(note(1).id)).rejects.toThrow('forbidden');
    expect(titles(store)).toEqual([1]);
  });
});

describe('UnreadCountStore', () => {
  test('takes the REST count, unless an unread_count event overtook it', async () => {
    const client = new StubClient();
    const store = new UnreadCountStore(client as unknown as CountClient);
    store.subscribe(() => {});
    expect(store.getSnapshot()).toBeUndefined();
    client.emit('unread_count', 7);
    client.count.resolve(3);
    await settle();
    expect(store.getSnapshot()).toBe(7);

    const fresh = new StubClient();
    const other = new UnreadCountStore(fresh as unknown as CountClient);
    other.subscribe(() => {});
    fresh.count.resolve(3);
    await settle();
    expect(other.getSnapshot()).toBe(3);
    fresh.emit('unread_count', 4);
    expect(other.getSnapshot()).toBe(4);
  });
});

describe('PreferencesStore', () => {
  test('an update that lands while the document loads is not overwritten by the older document', async () => {
    const client = new StubClient();
    const store = new PreferencesStore(client as unknown as PreferencesClient);
    store.subscribe(() => {});
    expect(store.getSnapshot().loading).toBe(true);
    await store.update({ email_enabled: true });
    client.preferencesAnswer.resolve(doc);
    await settle();
    expect(store.getSnapshot()).toMatchObject({ loading: false, preferences: { email_enabled: true }, types: [{ key: 'comment.created' }] });
    expect(client.preferences.update).toHaveBeenCalledWith({ email_enabled: true });
  });
});
