import type { ReactiveControllerHost } from 'lit';

/**
 * Whether the panel's content is in the DOM. It is rendered ahead, hidden, once the browser is
 * idle after the first page arrived (or at the first open), and kept while closed: opening then
 * only shows it, however long the list.
 */
export class Prerender {
  done = false;
  private scheduled = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {}

  /** Renders the content at once (the panel opens). */
  now(): void {
    if (this.done) return;
    this.done = true;
    this.host.requestUpdate();
  }

  /** Once `ready` (the first page is in), renders the content when the browser is next idle. */
  whenIdle(ready: boolean): void {
    if (this.done || this.scheduled || !ready) return;
    this.scheduled = true;
    const prerender = () => {
      if (this.host.isConnected) this.now();
    };
    // Safari lacks requestIdleCallback.
    if (typeof requestIdleCallback === 'function') requestIdleCallback(prerender, { timeout: 2_000 });
    else setTimeout(prerender, 200);
  }
}
