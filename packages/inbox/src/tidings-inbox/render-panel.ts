import { html, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import type { BrowserNotifier } from '../controllers/browser-notifier.ts';
import type { ConnectionController } from '../controllers/connection-controller.ts';
import type { FeedController } from '../controllers/feed-controller.ts';
import type { ListController } from '../controllers/list-controller.ts';
import type { MenuController } from '../controllers/menu-controller.ts';
import type { PreferencesController } from '../controllers/preferences-controller.ts';
import type { SearchController } from '../controllers/search-controller.ts';
import type { TypeCatalog } from '../controllers/type-catalog.ts';
import type { Translator } from '../locales/index.ts';
import type { ItemText } from './item-text.ts';
import { renderBanners } from './render-banners.ts';
import { renderHeader } from './render-header.ts';
import { renderList } from './render-list.ts';
import { renderPreferences } from './render-preferences.ts';
import { renderToolbar } from './render-toolbar.ts';

/** The element's parts the panel's content is drawn from, and what the content asks of the element. */
export interface PanelView {
  t: Translator;
  view: 'inbox' | 'preferences';
  /** What the panel's live region says (the bell's says it while the panel is closed). */
  announcement: string;
  /** A change the API refused, until dismissed or the next change. */
  notice: string | undefined;
  list: ListController;
  catalog: TypeCatalog;
  preferences: PreferencesController;
  connection: ConnectionController;
  menu: MenuController;
  feed: FeedController;
  search: SearchController;
  browser: BrowserNotifier;
  text: ItemText;
  /** Items whose icon failed to load: they show the default glyph. */
  brokenIcons: ReadonlySet<string>;
  onBack(): void;
  onPreferences(): void;
  onClose(): void;
  onDismissNotice(): void;
  onIconError(event: Event): void;
  /** Runs one of the user's changes; a refusal becomes the notice. */
  run(action: () => Promise<void>): void;
  /** Renders the element again: the browser notifier's state is not reactive. */
  requestUpdate(): void;
}

/** The dialog's content: the title bar, the banners, then the inbox or the preferences. */
export function renderPanel(view: PanelView): TemplateResult {
  const { t, list, menu, connection } = view;
  return html`
    <div class="panel" @pointerdown=${menu.onPanelPointerDown}>
      ${renderHeader({
        t,
        view: view.view,
        menuOpen: menu.open,
        canMarkAllRead: list.status === 'ready' && connection.unreadCount !== 0,
        canClearRead: list.status === 'ready',
        onBack: view.onBack,
        onPreferences: view.onPreferences,
        onClose: view.onClose,
        onMenuButton: menu.onButton,
        onMenuKeydown: menu.onKeydown,
        onMenuFocusout: menu.onFocusout,
        onMarkAllRead: () => menu.choose(() => view.run(() => list.markAllRead())),
        onClearRead: () => menu.choose(() => view.run(() => list.clearRead())),
      })}
      ${renderBanners({
        t,
        offline: connection.offline,
        disconnected: connection.disconnected,
        notice: view.notice,
        onDismissNotice: view.onDismissNotice,
      })}
      ${view.view === 'preferences' ? renderPreferencesView(view) : renderInboxView(view)}
      <div class="sr-only" role="status">${view.announcement}</div>
    </div>
  `;
}

function renderInboxView(view: PanelView): TemplateResult {
  const { t, list, feed, search } = view;
  return html`
    ${renderToolbar({
      t,
      filters: list.filters,
      searchText: search.text,
      types: view.catalog.types,
      onSearch: search.onInput,
      onType: (event) => list.setFilters({ type: (event.target as HTMLSelectElement).value }),
      onUnreadOnly: (event) => list.setFilters({ unreadOnly: (event.target as HTMLInputElement).checked }),
    })}
    <div class="scroller">
      ${guard(
        [list.items, list.limit, list.status, list.moreStatus, list.nextCursor, list.filters, feed.activeId, view.text.stamp, t, view.brokenIcons.size],
        () =>
          renderList({
            t,
            items: list.items.length > list.limit ? list.items.slice(0, list.limit) : list.items,
            total: list.items.length,
            complete: list.nextCursor === null,
            status: list.status,
            moreStatus: list.moreStatus,
            hasMore: list.hasMore,
            filtered: list.filtered,
            activeId: feed.activeId,
            text: view.text,
            brokenIcons: view.brokenIcons,
            onRetry: () => void list.reload(),
            onLoadMore: () => list.more(),
            onClearFilters: search.clearFilters,
            onClick: feed.onClick,
            onKeydown: feed.onKeydown,
            onFocusin: feed.onFocusin,
            onIconError: view.onIconError,
          }),
      )}
    </div>
  `;
}

function renderPreferencesView(view: PanelView): TemplateResult {
  const { preferences, browser } = view;
  return renderPreferences({
    t: view.t,
    preferences: preferences.preferences,
    status: preferences.status,
    saveStatus: preferences.saveStatus,
    types: view.catalog.types,
    browser: browser.state,
    onChange: (change) => void preferences.update(change),
    onRetry: () => void preferences.load(),
    onEnableBrowser: () => void browser.enable().then(() => view.requestUpdate()),
    onDisableBrowser: () => {
      browser.disable();
      view.requestUpdate();
    },
  });
}
