import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LoadStatus } from '../controllers/list-controller.ts';
import type { Translator } from '../locales/index.ts';
import type { InboxNotification } from '../types.ts';
import { bellIcon, checkIcon, criticalIcon, highIcon, inboxIcon, trashIcon, unreadIcon } from './icons.ts';
import type { ItemText } from './item-text.ts';

/** What the list area shows, and where its events go (delegated: one listener per kind, not per item). */
export interface ListView {
  t: Translator;
  /** The items to render (the first of the loaded ones). */
  items: readonly InboxNotification[];
  /** How many are loaded, and whether that is all there is: the feed's `aria-setsize`. */
  total: number;
  complete: boolean;
  status: LoadStatus;
  moreStatus: 'idle' | 'loading' | 'error';
  /** Unrendered items or another page exist. */
  hasMore: boolean;
  filtered: boolean;
  /** The item that holds the list's one tab stop. */
  activeId: string | undefined;
  text: ItemText;
  /** Items whose icon failed to load: they show the default glyph. */
  brokenIcons: ReadonlySet<string>;
  onRetry(): void;
  onLoadMore(): void;
  onClearFilters(): void;
  onClick(event: MouseEvent): void;
  onKeydown(event: KeyboardEvent): void;
  onFocusin(event: FocusEvent): void;
  onIconError(event: Event): void;
}

export function renderList(view: ListView): TemplateResult {
  const { t, items, status } = view;
  if (items.length === 0 && (status === 'loading' || status === 'idle')) return renderLoading(t);
  if (status === 'error') return renderError(view);
  if (items.length === 0) return renderEmpty(view);
  const setSize = view.complete ? view.total : -1;
  const activeId = items.some((item) => item.id === view.activeId) ? view.activeId : items[0]?.id;
  return html`
    ${status === 'loading' ? html`<div class="refreshing" role="progressbar" aria-label=${t.t('loading')}></div>` : nothing}
    <div
      class="feed"
      role="feed"
      part="list"
      aria-label=${t.t('listLabel')}
      aria-busy=${status === 'loading' || view.moreStatus === 'loading' ? 'true' : 'false'}
      @click=${view.onClick}
      @keydown=${view.onKeydown}
      @focusin=${view.onFocusin}
      @error=${{ handleEvent: view.onIconError, capture: true }}
    >
      ${repeat(
        items,
        (item) => item.id,
        (item, index) => renderItem(item, index, setSize, item.id === activeId, view),
      )}
    </div>
    ${renderMore(view)}
  `;
}

function renderItem(item: InboxNotification, index: number, setSize: number, active: boolean, view: ListView): TemplateResult {
  const { text, t } = view;
  const tab = active ? 0 : -1;
  const priority = item.priority === 'high' || item.priority === 'critical' ? item.priority : '';
  const broken = view.brokenIcons.has(item.id);
  // Only the position changes for every item when one arrives: the content re-renders only when it changes.
  return html`
    <article
      class="item ${item.is_read ? 'read' : 'unread'} ${priority}"
      part="item"
      data-id=${item.id}
      tabindex=${tab}
      aria-labelledby="t-${item.id}"
      aria-describedby="d-${item.id}"
      aria-posinset=${index + 1}
      aria-setsize=${setSize}
    >
      ${guard([item, tab, text.stamp, t, broken], () => renderContent(item, tab, broken, view))}
    </article>
  `;
}

function renderContent(item: InboxNotification, tab: number, broken: boolean, view: ListView): TemplateResult {
  const { t, text } = view;
  const link = text.link(item);
  const icon = broken ? undefined : text.icon(item);
  const priority = item.priority === 'high' || item.priority === 'critical' ? item.priority : '';
  return html`
    <div class="avatar" aria-hidden="true">
      ${icon ? html`<img src=${icon} alt="" loading="lazy" referrerpolicy="no-referrer" data-id=${item.id} />` : bellIcon}
    </div>
    <div class="content">
      <h3 class="title" id="t-${item.id}">${link ? html`<a href=${link} tabindex=${tab}>${item.title}</a>` : item.title}</h3>
      <div id="d-${item.id}">
        ${item.body ? html`<p class="body">${item.body}</p>` : nothing}
        <p class="meta">
          ${item.is_read ? nothing : html`<span class="sr-only">${t.t('unread')}</span>`} ${renderPriority(priority, t)}
          <time datetime=${item.created_at} title=${text.fullTime(item)}>${text.relativeTime(item)}</time>
        </p>
      </div>
    </div>
    <div class="actions">
      <button
        class="icon-button"
        type="button"
        data-action="toggle-read"
        tabindex=${tab}
        aria-label=${t.t(item.is_read ? 'markUnread' : 'markRead')}
        title=${t.t(item.is_read ? 'markUnread' : 'markRead')}
      >
        ${item.is_read ? unreadIcon : checkIcon}
      </button>
      <button class="icon-button" type="button" data-action="delete" tabindex=${tab} aria-label=${t.t('delete')} title=${t.t('delete')}>${trashIcon}</button>
    </div>
  `;
}

/** High and critical are told apart by an icon and a word, not only by colour. */
export function renderPriority(priority: string, t: Translator): TemplateResult | typeof nothing {
  if (priority === 'critical') return html`<span class="tag critical">${criticalIcon}${t.t('priorityCritical')}</span>`;
  if (priority === 'high') return html`<span class="tag high">${highIcon}${t.t('priorityHigh')}</span>`;
  return nothing;
}

function renderMore(view: ListView): TemplateResult | typeof nothing {
  const { t, moreStatus } = view;
  if (!view.hasMore) return nothing;
  const loading = moreStatus === 'loading';
  return html`
    <div class="more">
      ${moreStatus === 'error' ? html`<p>${t.t('loadMoreFailed')}</p>` : nothing}
      <button class="text-button" type="button" aria-disabled=${loading ? 'true' : 'false'} @click=${view.onLoadMore}>
        ${t.t(loading ? 'loadingMore' : moreStatus === 'error' ? 'retry' : 'loadMore')}
      </button>
    </div>
    <div class="sentinel" aria-hidden="true"></div>
  `;
}

function renderLoading(t: Translator): TemplateResult {
  const row = html`<div class="skeleton" aria-hidden="true">
    <span class="round"></span>
    <div class="lines"><span></span><span></span><span></span></div>
  </div>`;
  return html`<div role="status" aria-live="polite"><span class="sr-only">${t.t('loading')}</span>${row}${row}${row}</div>`;
}

function renderError(view: ListView): TemplateResult {
  const { t } = view;
  return html`
    <div class="state" role="alert">
      ${inboxIcon}
      <p>${t.t('loadFailed')}</p>
      <button class="solid-button" type="button" @click=${view.onRetry}>${t.t('retry')}</button>
    </div>
  `;
}

function renderEmpty(view: ListView): TemplateResult {
  const { t } = view;
  if (view.filtered) {
    return html`
      <div class="state">
        ${inboxIcon}
        <p>${t.t('emptyFiltered')}</p>
        <button class="text-button" type="button" @click=${view.onClearFilters}>${t.t('clearFilters')}</button>
      </div>
    `;
  }
  return html`
    <div class="state">
      ${inboxIcon}
      <h3>${t.t('emptyTitle')}</h3>
      <p>${t.t('emptyHint')}</p>
    </div>
  `;
}
