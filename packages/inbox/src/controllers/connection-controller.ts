import { TidingsClient, type ConnectionState } from '@tidings/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { InboxNotification } from '../types.ts';
import { Throttle } from '../util/throttle.ts';
import { hintUnreachableApi } from '../util/origin-hint.ts';
import { absoluteUrl } from '../util/urls.ts';

/** The badge shows the latest count at most this often: a burst of arrivals is one repaint per window. */
const COUNT_REPAINT_MS = 100;

/** What the host knows about where to connect; read on every {@link ConnectionController.sync}. */
export interface ConnectionSettings {
  /** A client the app owns: used as it is, never connected or closed by the element. */
  client: TidingsClient | undefined;
  apiUrl: string | undefined;
  gatewayUrl: string | undefined;
  getToken: (() => Promise<string>) | undefined;
}

/** What the host does with the client's events. */
export interface ConnectionListener {
  /** A client is ready: a new one, or a replacement after the settings changed. */
  attached(client: TidingsClient): void;
  /** The client went away (element removed, settings incomplete, replaced). */
  detached(): void;
  notification(notification: InboxNotification): void;
  read(ids: string[]): void;
  unread(ids: string[]): void;
  deleted(ids: string[]): void;
  allRead(type: string | undefined): void;
  /** The connection opened, first or again after being lost: the list may miss what came meanwhile. */
  reconnected(): void;
}

type Host = ReactiveControllerHost & HTMLElement;

/**
 * The element's one TidingsClient: it creates the client once it has a URL and `getToken` (or
 * borrows the app's), connects it, forwards its events, and closes the one it created when the
 * element leaves the page. It also holds what the bell shows: the server's unread count (from
 * REST at start, then from `unread_count` events) and whether the user is offline.
 */
export class ConnectionController implements ReactiveController {
  client: TidingsClient | undefined;
  /** The server's unread count; undefined until the first answer. */
  unreadCount: number | undefined;
  state: ConnectionState = 'closed';
  browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;

  private owned = false;
  /** `url|apiUrl` of the client the element created, to tell whether a settings change needs a new one. */
  private ownedKey = '';
  /** The API the client created here talks to, for the console hint when it cannot be reached. */
  private apiUrl: string | undefined;
  /** Whether the client ever left `closed`: a client that was never started is not "disconnected". */
  private started = false;
  private openedOnce = false;
  /** Counts `unread_count` events, so a REST answer older than the latest event is dropped. */
  private countEvents = 0;
  private unsubscribe: Array<() => void> = [];
  private readonly countRepaint: Throttle;

  constructor(
    private readonly host: Host,
    private readonly settings: () => ConnectionSettings,
    private readonly listener: ConnectionListener,
  ) {
    this.countRepaint = new Throttle(COUNT_REPAINT_MS, () => host.requestUpdate());
    host.addController(this);
  }

  /** The browser is offline, or the client is trying to reconnect. */
  get offline(): boolean {
    return !this.browserOnline || this.state === 'reconnecting';
  }

  /** The client stopped for good (a refused token, an admin's disconnect) after having been started. */
  get disconnected(): boolean {
    return this.browserOnline && this.state === 'closed' && this.started;
  }

  hostConnected(): void {
    window.addEventListener('online', this.onBrowserOnline);
    window.addEventListener('offline', this.onBrowserOnline);
    this.browserOnline = navigator.onLine;
    this.sync();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onBrowserOnline);
    window.removeEventListener('offline', this.onBrowserOnline);
    // Moving the element within the page disconnects and reconnects it in one task: keep the client then.
    queueMicrotask(() => {
      if (!this.host.isConnected) this.release();
    });
  }

  /** Re-reads the settings; creates, replaces or releases the client as they require. */
  sync(): void {
    if (!this.host.isConnected) return;
    const { client, apiUrl, gatewayUrl, getToken } = this.settings();
    if (client) {
      if (client !== this.client) this.attach(client, false);
      return;
    }
    const base = document.baseURI;
    const url = absoluteUrl(gatewayUrl ?? apiUrl, base);
    const api = absoluteUrl(apiUrl ?? gatewayUrl, base);
    if (!url || !api || !getToken) {
      this.release();
      return;
    }
    this.apiUrl = api;
    const key = `${url}|${api}`;
    if (this.owned && this.ownedKey === key) return;
    let created: TidingsClient;
    try {
      // The provider is looked up on every call, so a new `getToken` needs no new client.
      created = new TidingsClient({ url, apiUrl: api, getToken: () => this.token() });
    } catch (error) {
      console.error('<tidings-inbox>: cannot create a client:', error);
      this.release();
      return;
    }
    this.attach(created, true);
    this.ownedKey = key;
    created.connect();
  }

  /** Asks the API for the unread count; used when no live connection will push it. */
  refreshCount(): void {
    const client = this.client;
    if (!client) return;
    const eventsBefore = this.countEvents;
    client.inbox.unreadCount().then(
      (count) => {
        if (this.client === client && this.countEvents === eventsBefore) this.setCount(count);
      },
      (error: unknown) => {
        // The bell keeps its last known count; the next event or reconnect corrects it.
        if (this.client === client && this.apiUrl !== undefined) hintUnreachableApi(error, this.apiUrl);
      },
    );
  }

  private token(): Promise<string> {
    const getToken = this.settings().getToken;
    return getToken ? getToken() : Promise.reject(new Error('<tidings-inbox> has no getToken'));
  }

  private attach(client: TidingsClient, owned: boolean): void {
    this.release();
    this.client = client;
    this.owned = owned;
    this.state = client.state;
    this.started = client.state !== 'closed';
    // A client that is already open (the app's) started before the list's first page: no gap.
    this.openedOnce = client.state === 'open';
    const listener = this.listener;
    this.unsubscribe = [
      client.on('state', ({ state }) => {
        const wasLost = this.state === 'reconnecting' || (this.state === 'closed' && this.started);
        const firstOpen = state === 'open' && !this.openedOnce;
        this.state = state;
        if (state !== 'closed') this.started = true;
        if (state === 'open') this.openedOnce = true;
        this.host.requestUpdate();
        // A connection starts at "now": what was committed between the list's page and that moment
        // arrives on neither, so the list reads its page again, on the first open as after a loss.
        if (state === 'open' && (wasLost || firstOpen)) listener.reconnected();
      }),
      client.on('unread_count', (count) => {
        this.countEvents++;
        this.setCount(count);
      }),
      client.on('notification', (notification) => listener.notification(notification)),
      client.on('read', (ids) => listener.read(ids)),
      client.on('unread', (ids) => listener.unread(ids)),
      client.on('deleted', (ids) => listener.deleted(ids)),
      client.on('all_read', ({ type_filter }) => listener.allRead(type_filter)),
    ];
    this.refreshCount();
    listener.attached(client);
    this.host.requestUpdate();
  }

  private release(): void {
    const client = this.client;
    if (!client) return;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.countRepaint.cancel();
    if (this.owned) void client.close();
    this.client = undefined;
    this.owned = false;
    this.ownedKey = '';
    this.unreadCount = undefined;
    this.state = 'closed';
    this.started = false;
    this.listener.detached();
    this.host.requestUpdate();
  }

  private setCount(count: number): void {
    this.unreadCount = count;
    this.countRepaint.schedule();
  }

  private readonly onBrowserOnline = (): void => {
    this.browserOnline = navigator.onLine;
    this.host.requestUpdate();
  };
}
