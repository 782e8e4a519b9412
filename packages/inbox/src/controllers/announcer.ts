import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The text of the element's polite live region. Arrivals are gathered for a moment and announced
 * as one message ("New notification: …" for one, "5 new notifications" for a burst), so a screen
 * reader is not flooded.
 */
export class Announcer implements ReactiveController {
  /** The live region's current text. */
  text = '';
  private titles: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Turns the gathered titles into one message, in the element's current locale. */
    private readonly summarise: (titles: readonly string[]) => string,
    private readonly gatherMs = 500,
  ) {
    host.addController(this);
  }

  /** Queues a new notification's title for the next announcement. */
  arrived(title: string): void {
    this.titles.push(title);
    this.timer ??= setTimeout(() => this.flush(), this.gatherMs);
  }

  /** Announces `message` now (an error, a confirmation). */
  say(message: string): void {
    // The same text twice is no change to a live region, so alternate a trailing space.
    this.text = message === this.text.trimEnd() && !this.text.endsWith(' ') ? `${message} ` : message;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.titles = [];
  }

  private flush(): void {
    this.timer = undefined;
    const titles = this.titles;
    this.titles = [];
    if (titles.length > 0) this.say(this.summarise(titles));
  }
}
