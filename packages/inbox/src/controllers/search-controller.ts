import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ListController } from './list-controller.ts';

/** Typing pauses this long before a search is sent. */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box: its text shows as it is typed and reaches the list's `q` filter once typing
 * pauses, so a word costs one request rather than one per key.
 */
export class SearchController implements ReactiveController {
  /** The search box's text, which reaches `filters.q` after a pause in typing. */
  text = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly list: ListController,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  readonly onInput = (event: Event): void => {
    this.setText((event.target as HTMLInputElement).value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.list.setFilters({ q: this.text.trim() }), SEARCH_DEBOUNCE_MS);
  };

  /** Empties the search box and drops every filter at once, a pending search included. */
  readonly clearFilters = (): void => {
    clearTimeout(this.timer);
    this.setText('');
    this.list.clearFilters();
  };

  private setText(text: string): void {
    if (text === this.text) return;
    this.text = text;
    this.host.requestUpdate();
  }
}
