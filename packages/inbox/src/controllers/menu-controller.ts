import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The "More actions" menu button (WAI-ARIA menu button): Enter, Space or ArrowDown opens it with
 * focus on the first item; ArrowUp/ArrowDown (wrapping), Home and End move; Escape closes it and
 * gives focus back to the button without closing the panel; Tab, a press or focus elsewhere
 * close it.
 */
export class MenuController implements ReactiveController {
  open = false;
  private focusFirst = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.focusFirst) return;
    this.focusFirst = false;
    this.host.shadowRoot?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }

  /** Closes the menu, gives focus back to its button, then runs `action`. */
  choose(action: () => void): void {
    this.close(true);
    action();
  }

  /** Closes the menu; `refocus` puts focus back on its button. */
  close(refocus = false): void {
    if (this.open) {
      this.open = false;
      this.host.requestUpdate();
    }
    if (refocus) this.host.shadowRoot?.querySelector<HTMLElement>('#menu-button')?.focus();
  }

  readonly onButton = (event: Event): void => {
    if (event instanceof KeyboardEvent) {
      // Enter and Space arrive as clicks; ArrowDown opens the menu too.
      if (event.key !== 'ArrowDown') return;
      event.preventDefault();
    }
    this.open = !this.open || event instanceof KeyboardEvent;
    this.focusFirst = this.open;
    this.host.requestUpdate();
  };

  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      // The menu closes, not the panel.
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
      return;
    }
    if (event.key === 'Tab') {
      this.close();
      return;
    }
    const items = [...(event.currentTarget as Element).querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const index = items.indexOf(event.target as HTMLElement);
    const last = items.length - 1;
    const next = { ArrowDown: index >= last ? 0 : index + 1, ArrowUp: index <= 0 ? last : index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    items[next]?.focus();
  };

  readonly onFocusout = (event: FocusEvent): void => {
    const next = event.relatedTarget as Element | null;
    if (next && !next.closest('.menu-anchor')) this.close();
  };

  /** A press anywhere in the panel outside the menu closes it. */
  readonly onPanelPointerDown = (event: PointerEvent): void => {
    if (this.open && !(event.target as Element).closest('.menu-anchor')) this.close();
  };
}
