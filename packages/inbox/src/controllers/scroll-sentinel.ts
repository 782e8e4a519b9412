import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The next page starts loading this far before the end of the list comes into view. */
const PRELOAD_MARGIN = '240px';

/**
 * Endless scrolling: watches the sentinel element after the last item (inside its scrolling
 * container) and asks for more when it comes into view. When a page has loaded, the sentinel is
 * observed afresh: a page too short to push it out of view would otherwise never fire again.
 */
export class ScrollSentinel implements ReactiveController {
  private observer: IntersectionObserver | undefined;
  private observed: Element | null = null;
  private wasReady = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly find: () => Element | null,
    private readonly more: () => void,
    /** Whether asking again makes sense (not loading, not failed, a next page exists). */
    private readonly ready: () => boolean,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const sentinel = this.find();
    const ready = this.ready();
    const becameReady = ready && !this.wasReady;
    this.wasReady = ready;
    if (sentinel === this.observed) {
      if (sentinel && becameReady) {
        // Observing again delivers the sentinel's current state in a fresh callback.
        this.observer?.unobserve(sentinel);
        this.observer?.observe(sentinel);
      }
      return;
    }
    this.disconnect();
    this.observed = sentinel;
    if (!sentinel) return;
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && this.ready()) this.more();
      },
      { root: sentinel.parentElement?.closest('.scroller') ?? null, rootMargin: PRELOAD_MARGIN },
    );
    this.observer.observe(sentinel);
  }

  hostDisconnected(): void {
    this.disconnect();
    this.observed = null;
  }

  private disconnect(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }
}
