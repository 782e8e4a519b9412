import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { InboxNotification } from '../types.ts';

/** What the feed's keys and clicks do; the host supplies them. */
export interface FeedActions {
  /** Every loaded item (the rendered ones come first). */
  items(): readonly InboxNotification[];
  /** Opens a notification: marks it read and follows its link. */
  open(item: InboxNotification): void;
  setRead(item: InboxNotification, read: boolean): void;
  remove(item: InboxNotification): void;
  /** Renders or fetches the items after the last rendered one. */
  more(): void;
  /** Where focus goes when the item that had it is gone and no neighbour is left. */
  focusFallback(): void;
}

/**
 * The feed's keyboard and pointer behaviour, delegated from one listener per event type: one tab
 * stop for the whole list (the active item and its controls), arrow keys, PageUp/PageDown and
 * Home/End between items, Enter or Space to open one, clicks on an item and its actions, and
 * focus kept in the list when the focused item is deleted.
 */
export class FeedController implements ReactiveController {
  /** The item that holds the list's tab stop. */
  activeId: string | undefined;
  /** An item to focus once it is rendered. */
  private pendingFocus: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly actions: FeedActions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const id = this.pendingFocus;
    if (id === undefined) return;
    this.pendingFocus = undefined;
    const article = [...(this.host.shadowRoot?.querySelectorAll<HTMLElement>('article') ?? [])].find((element) => element.dataset.id === id);
    if (article) article.focus();
    else this.actions.focusFallback();
  }

  readonly onClick = (event: MouseEvent): void => {
    const target = event.target as Element;
    const article = target.closest('article');
    const item = this.find(article?.dataset.id);
    if (!article || !item) return;
    const action = target.closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action === 'toggle-read') {
      this.actions.setRead(item, !item.is_read);
      return;
    }
    if (action === 'delete') {
      if (article.contains(this.host.shadowRoot?.activeElement ?? null)) {
        const neighbour = (article.nextElementSibling ?? article.previousElementSibling) as HTMLElement | null;
        this.pendingFocus = neighbour?.dataset.id ?? '';
      }
      this.actions.remove(item);
      return;
    }
    const link = target.closest('a');
    if (link && (event.ctrlKey || event.metaKey || event.shiftKey)) {
      // The browser opens a new tab or window: only mark the notification read.
      if (!item.is_read) this.actions.setRead(item, true);
      return;
    }
    event.preventDefault();
    // Selecting text in an item is not a click on it.
    if (!link && document.getSelection()?.isCollapsed === false) return;
    this.actions.open(item);
  };

  readonly onKeydown = (event: KeyboardEvent): void => {
    const target = event.target as Element;
    const article = target.closest('article');
    if (!article) return;
    if ((event.key === 'Enter' || event.key === ' ') && target === article) {
      event.preventDefault();
      const item = this.find(article.dataset.id);
      if (item) this.actions.open(item);
      return;
    }
    const articles = [...(article.parentElement?.querySelectorAll<HTMLElement>(':scope > article') ?? [])];
    const index = articles.indexOf(article);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      PageDown: index + 1,
      ArrowUp: index - 1,
      PageUp: index - 1,
      Home: 0,
      End: articles.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    articles[Math.max(0, Math.min(next, articles.length - 1))]?.focus();
    if (next >= articles.length) {
      // Past the last rendered item: render (or fetch) more, and move on once it is there.
      this.pendingFocus = this.actions.items()[articles.length]?.id;
      this.actions.more();
    }
  };

  readonly onFocusin = (event: FocusEvent): void => {
    const id = (event.target as Element).closest('article')?.dataset.id;
    if (id === undefined || id === this.activeId) return;
    this.activeId = id;
    this.host.requestUpdate();
  };

  private find(id: string | undefined): InboxNotification | undefined {
    return id === undefined ? undefined : this.actions.items().find((item) => item.id === id);
  }
}
