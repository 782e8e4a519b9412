import type { TidingsClient } from '@tidings/client';
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { Announcer } from '../controllers/announcer.ts';
import { BrowserNotifier } from '../controllers/browser-notifier.ts';
import { ClockController } from '../controllers/clock-controller.ts';
import { ConnectionController } from '../controllers/connection-controller.ts';
import { FeedController } from '../controllers/feed-controller.ts';
import { ListController } from '../controllers/list-controller.ts';
import { MenuController } from '../controllers/menu-controller.ts';
import { PanelController } from '../controllers/panel-controller.ts';
import { PreferencesController } from '../controllers/preferences-controller.ts';
import { Prerender } from '../controllers/prerender.ts';
import { ScrollSentinel } from '../controllers/scroll-sentinel.ts';
import { SearchController } from '../controllers/search-controller.ts';
import { ToastController } from '../controllers/toast-controller.ts';
import { TypeCatalog } from '../controllers/type-catalog.ts';
import { resolveLocale, Translator } from '../locales/index.ts';
import type { InboxNotification, InboxTheme, TidingsNavigateDetail } from '../types.ts';
import { bellIcon } from './icons.ts';
import { ItemText } from './item-text.ts';
import { renderPanel } from './render-panel.ts';
import { renderToasts } from './render-toasts.ts';
import { inboxStyles } from './tidings-inbox.styles.ts';

/**
 * `<tidings-inbox>`: a notification bell with an unread badge that opens the user's inbox in a
 * dialog (a popover next to the bell; the whole screen below 640 px), kept live over one Tidings
 * connection.
 *
 * @attr api-url - Base URL of the Tidings API (REST). Relative URLs resolve against the page. Defaults to `gateway-url`.
 * @attr gateway-url - Base URL of the gateway (WebSocket, SSE). Defaults to `api-url`.
 * @attr locale - `en` or `el` (a tag such as `el-GR` picks its language). Defaults to the page's `lang`, then the browser's languages, then `en`.
 * @attr theme - `light` (default), `dark`, or `auto` (follows `prefers-color-scheme`). Reflected.
 *
 * @prop {() => Promise<string>} getToken - Supplies the user's JWT; never an attribute. Called on every (re)connect and before the token expires.
 * @prop {TidingsClient} client - An existing client to use instead of creating one. The element then neither connects nor closes it.
 *
 * @fires tidings:navigate - Before following a notification's `action_url` (http(s) or relative only).
 *   `detail: { notification, url }`; bubbles, composed, cancelable: call `preventDefault()` to route
 *   yourself, otherwise the element calls `location.assign(url)`.
 *
 * @csspart bell - The bell button.
 * @csspart badge - The unread count on the bell (`99+` beyond 99).
 * @csspart panel - The dialog.
 * @csspart header - The panel's title bar.
 * @csspart toolbar - Search box and filters.
 * @csspart list - The feed of notifications.
 * @csspart item - One notification.
 * @csspart toast - A toast for a high or critical notification.
 *
 * @cssprop --tidings-font - Font family. Default: the system UI font.
 * @cssprop --tidings-font-size - Base font size. Default: 14px.
 * @cssprop --tidings-accent - Links, switches, the unread dot, focus rings. Light #2a55c4, dark #91b4ff.
 * @cssprop --tidings-accent-fg - Text and knobs on the accent colour. Light #ffffff, dark #0c1a36.
 * @cssprop --tidings-bg - Panel and toast background. Light #ffffff, dark #1a1d23.
 * @cssprop --tidings-fg - Main text. Light #1b1f27, dark #e8eaef.
 * @cssprop --tidings-muted - Secondary text (bodies, times, hints). Light #575f6d, dark #a7aebb.
 * @cssprop --tidings-border - Dividers and the panel's border. Light #e1e4ea, dark #30353f.
 * @cssprop --tidings-field-border - Borders of the search box and selects, off switches (3:1 against the panel). Light #858c99, dark #757d8b.
 * @cssprop --tidings-hover - Background of hovered rows and buttons. Light #f2f4f7, dark #252a33.
 * @cssprop --tidings-unread-bg - Background of unread items. Light #f1f5ff, dark #1f2738.
 * @cssprop --tidings-badge-bg - Badge background. Default #c4221d.
 * @cssprop --tidings-badge-fg - Badge text. Default #ffffff.
 * @cssprop --tidings-badge-ring - Ring around the badge, to set it off the page behind the bell. Default: `--tidings-bg`.
 * @cssprop --tidings-high - Marks high-priority items (with an icon and a label). Light #975000, dark #f4b860.
 * @cssprop --tidings-critical - Marks critical items and errors. Light #b3261e, dark #ff9a90.
 * @cssprop --tidings-critical-bg - Background of critical items and error banners. Light #fdf1f0, dark #37201f.
 * @cssprop --tidings-success - The "Saved" confirmation. Light #16703a, dark #72d49c.
 * @cssprop --tidings-radius - Corner radius of the panel and toasts. Default: 12px.
 * @cssprop --tidings-shadow - Shadow of the panel and toasts.
 * @cssprop --tidings-panel-width - Popover width. Default: 400px (never wider than the screen).
 * @cssprop --tidings-panel-height - Popover height. Default: 600px (never taller than the room beside the bell).
 * @cssprop --tidings-bell-size - The bell button's size. Default: 40px.
 * @cssprop --tidings-bell-color - The bell icon's colour. Default: the surrounding text colour.
 * @cssprop --tidings-z-index - Stacking order of the toasts in browsers without the Popover API (elsewhere the panel and toasts are in the top layer). Default: 1000.
 */
export class TidingsInbox extends LitElement {
  static override styles = inboxStyles;

  static override properties = {
    apiUrl: { attribute: 'api-url' },
    gatewayUrl: { attribute: 'gateway-url' },
    locale: {},
    theme: { reflect: true },
    getToken: { attribute: false },
    client: { attribute: false },
    open: { state: true },
    view: { state: true },
    notice: { state: true },
  };

  declare apiUrl: string | undefined;
  declare gatewayUrl: string | undefined;
  declare locale: string | undefined;
  declare theme: InboxTheme;
  declare getToken: (() => Promise<string>) | undefined;
  declare client: TidingsClient | undefined;
  declare private open: boolean;
  declare private view: 'inbox' | 'preferences';
  declare private notice: string | undefined;

  private translator: Translator;
  private readonly list: ListController;
  private readonly catalog: TypeCatalog;
  private readonly preferences: PreferencesController;
  private readonly toasts: ToastController;
  private readonly announcer: Announcer;
  private readonly clock: ClockController;
  private readonly browser = new BrowserNotifier();
  private readonly itemText = new ItemText();
  private readonly prerender = new Prerender(this);
  private readonly connection: ConnectionController;
  private readonly panel: PanelController;
  private readonly menu: MenuController;
  private readonly feed: FeedController;
  private readonly search: SearchController;
  private readonly brokenIcons = new Set<string>();
  /** Whether the view's heading gets focus after the next render (the view changed). */
  private focusHeading = false;

  constructor() {
    super();
    this.theme = 'light';
    this.open = false;
    this.view = 'inbox';
    this.translator = this.makeTranslator();
    this.list = new ListController(this);
    this.catalog = new TypeCatalog(this);
    this.preferences = new PreferencesController(this);
    this.toasts = new ToastController(this);
    this.clock = new ClockController(this);
    this.menu = new MenuController(this);
    this.feed = new FeedController(this, {
      items: () => this.list.items,
      open: (item) => this.activate(item),
      setRead: (item, read) => this.run(() => this.list.setRead(item.id, read)),
      remove: (item) => this.run(() => this.list.remove(item.id)),
      more: () => this.list.more(),
      focusFallback: () => this.shadowRoot?.querySelector<HTMLElement>('#panel-title')?.focus(),
    });
    this.search = new SearchController(this, this.list);
    this.panel = new PanelController(this, {
      dialog: () => this.shadowRoot?.querySelector('dialog') ?? null,
      bell: () => this.shadowRoot?.querySelector<HTMLElement>('.bell') ?? null,
      // The first notification, so arrow keys work at once; the search box while there is none.
      initialFocus: () =>
        this.shadowRoot?.querySelector<HTMLElement>('article[tabindex="0"]') ?? this.shadowRoot?.querySelector<HTMLElement>('input[type="search"]') ?? null,
      dismiss: () => this.hide(),
    });
    new ScrollSentinel(
      this,
      () => this.shadowRoot?.querySelector('.sentinel') ?? null,
      () => this.list.more(),
      () => this.list.moreStatus === 'idle' && this.list.hasMore,
    );
    this.announcer = new Announcer(this, (titles) =>
      titles.length === 1 ? this.translator.t('announceOne', { title: titles[0] ?? '' }) : this.translator.plural('announceMany', titles.length),
    );
    // Last: its hostConnected may attach a client at once, which the controllers above receive.
    this.connection = new ConnectionController(
      this,
      () => ({ client: this.client, apiUrl: this.apiUrl, gatewayUrl: this.gatewayUrl, getToken: this.getToken }),
      {
        attached: (client) => {
          this.list.attach(client);
          this.catalog.attach(client);
          this.preferences.attach(client);
          if (this.view === 'preferences') this.preferences.ensureLoaded();
        },
        detached: () => {
          this.list.detach();
          this.catalog.detach();
          this.preferences.detach();
        },
        notification: (notification) => this.arrived(notification),
        read: (ids) => this.list.markedRead(ids, true),
        unread: (ids) => this.list.markedRead(ids, false),
        deleted: (ids) => {
          this.list.removed(ids);
          for (const id of ids) this.toasts.dismiss(id);
        },
        allRead: (type) => this.list.allMarkedRead(type),
        reconnected: () => void this.list.reload(),
      },
    );
  }

  /** Opens the panel. */
  show(): void {
    this.open = true;
    this.prerender.now();
  }

  /** Closes the panel; focus goes back to the bell. */
  hide(): void {
    if (!this.open) return;
    this.open = false;
    this.view = 'inbox';
    this.menu.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.hide();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('locale')) this.translator = this.makeTranslator();
    if (changed.has('open')) {
      this.clock.run(this.open);
      this.announcer.text = '';
      if (this.open) this.toasts.clear();
    }
    this.itemText.prepare(this.clock.now, this.translator.locale);
  }

  protected override render(): TemplateResult {
    const t = this.translator;
    const count = this.connection.unreadCount ?? 0;
    return html`
      <button
        class="bell"
        part="bell"
        type="button"
        lang=${t.locale}
        aria-label=${count > 0 ? t.plural('bellUnread', count) : t.t('bell')}
        aria-haspopup="dialog"
        aria-expanded=${this.open ? 'true' : 'false'}
        @click=${this.toggle}
      >
        ${bellIcon}${count > 0 ? html`<span class="badge" part="badge" aria-hidden="true">${count > 99 ? '99+' : count}</span>` : nothing}
      </button>
      <div class="sr-only" role="status" lang=${t.locale}>${this.open ? '' : this.announcer.text}</div>
      <dialog
        part="panel"
        lang=${t.locale}
        aria-modal="true"
        aria-labelledby="panel-title"
        @cancel=${this.panel.onCancel}
        @close=${this.panel.onClose}
        @pointerdown=${this.panel.onPointerDown}
        @click=${this.panel.onClick}
        @keydown=${this.panel.onKeydown}
      >
        ${this.open || this.prerender.done ? this.renderPanel() : nothing}
      </dialog>
      ${renderToasts({
        t,
        toasts: this.toasts.toasts,
        onOpen: (notification) => {
          this.toasts.dismiss(notification.id);
          this.activate(notification);
        },
        onDismiss: (id) => this.toasts.dismiss(id),
        onHold: () => this.toasts.hold(),
        onRelease: () => this.toasts.release(),
      })}
    `;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('client') || changed.has('apiUrl') || changed.has('gatewayUrl') || changed.has('getToken')) this.connection.sync();
    if (changed.has('open')) {
      if (this.open) this.panel.opened();
      else if (changed.get('open') === true) this.panel.closed();
    }
    this.prerender.whenIdle(this.list.status === 'ready');
    if (this.focusHeading) {
      this.focusHeading = false;
      if (this.open) this.shadowRoot?.querySelector<HTMLElement>('#panel-title')?.focus();
    }
  }

  private renderPanel(): TemplateResult {
    return renderPanel({
      t: this.translator,
      view: this.view,
      announcement: this.open ? this.announcer.text : '',
      notice: this.notice,
      list: this.list,
      catalog: this.catalog,
      preferences: this.preferences,
      connection: this.connection,
      menu: this.menu,
      feed: this.feed,
      search: this.search,
      browser: this.browser,
      text: this.itemText,
      brokenIcons: this.brokenIcons,
      onBack: this.showInbox,
      onPreferences: this.showPreferences,
      onClose: () => this.hide(),
      onDismissNotice: () => (this.notice = undefined),
      onIconError: this.onIconError,
      run: (action) => this.run(action),
      requestUpdate: () => this.requestUpdate(),
    });
  }

  private makeTranslator(): Translator {
    const languages = typeof navigator === 'undefined' ? [] : navigator.languages;
    return new Translator(resolveLocale([this.locale, document.documentElement.lang, ...languages]));
  }

  private readonly toggle = (): void => {
    if (this.open) this.hide();
    else this.show();
  };

  private readonly showPreferences = (): void => {
    this.view = 'preferences';
    this.menu.close();
    this.catalog.ensureLoaded();
    this.preferences.ensureLoaded();
    this.focusHeading = true;
  };

  private readonly showInbox = (): void => {
    this.view = 'inbox';
    this.focusHeading = true;
  };

  private arrived(notification: InboxNotification): void {
    this.list.received(notification);
    this.announcer.arrived(notification.title);
    if (!this.open && (notification.priority === 'high' || notification.priority === 'critical')) this.toasts.show(notification);
    this.browser.show(notification, this.itemText.icon(notification), () => this.show());
  }

  /** Opens a notification: marks it read and follows its link, unless the app takes the navigation over. */
  private activate(item: InboxNotification): void {
    if (!item.is_read) this.run(() => this.list.setRead(item.id, true));
    const url = this.itemText.link(item);
    if (!url) return;
    const navigate = new CustomEvent<TidingsNavigateDetail>('tidings:navigate', {
      detail: { notification: item, url },
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    const proceed = this.dispatchEvent(navigate);
    this.hide();
    if (proceed) location.assign(url);
  }

  /** Runs one of the user's changes; a refusal is shown and announced (the list has rolled it back). */
  private run(action: () => Promise<void>): void {
    this.notice = undefined;
    action().then(
      () => {
        // Without a live connection no unread_count event follows the change: ask for the count.
        if (this.connection.state !== 'open') this.connection.refreshCount();
      },
      () => {
        this.notice = this.translator.t('actionFailed');
        this.announcer.say(this.notice);
      },
    );
  }

  private readonly onIconError = (event: Event): void => {
    const image = event.target as HTMLElement;
    const id = image.tagName === 'IMG' ? image.dataset.id : undefined;
    if (id === undefined || this.brokenIcons.has(id)) return;
    this.brokenIcons.add(id);
    this.requestUpdate();
  };
}
