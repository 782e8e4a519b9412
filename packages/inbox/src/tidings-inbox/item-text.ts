import type { InboxNotification } from '../types.ts';
import { fullTime, relativeTime } from '../util/relative-time.ts';
import { safeUrl } from '../util/urls.ts';

/** Relative times are minute-grained: a new "now" within the same quarter minute changes none. */
const TIME_BUCKET_MS = 15_000;

/**
 * What an item shows that takes work to compute (URL checks, Intl formatting), computed once:
 * URLs once per item, relative times once per clock bucket. A list re-renders for every batch
 * of arrivals, and this keeps those renders cheap however long the list is.
 */
export class ItemText {
  private readonly urls = new WeakMap<InboxNotification, { link: string | undefined; icon: string | undefined }>();
  private readonly relative = new Map<string, string>();
  private readonly full = new Map<string, string>();
  private now = 0;
  private bucket = -1;
  private locale = '';
  /** Changes whenever cached times do: what a render that shows times depends on. */
  stamp = 0;

  /** Sets the clock and locale of the next render; cached times go stale when either changes. */
  prepare(now: number, locale: string): void {
    if (locale !== this.locale) this.full.clear();
    const bucket = Math.floor(now / TIME_BUCKET_MS);
    if (bucket !== this.bucket || locale !== this.locale) {
      this.relative.clear();
      this.stamp++;
      this.now = now;
    }
    this.bucket = bucket;
    this.locale = locale;
  }

  /**
   * The `action_url` to link to, as stored, when it is http(s) or relative (the browser resolves a
   * relative one against the page at click time); undefined otherwise.
   */
  link(item: InboxNotification): string | undefined {
    return this.urlsOf(item).link;
  }

  /** The icon URL, only when it is http(s) or relative; anything else gets the default glyph. */
  icon(item: InboxNotification): string | undefined {
    return this.urlsOf(item).icon;
  }

  relativeTime(item: InboxNotification): string {
    let text = this.relative.get(item.created_at);
    if (text === undefined) this.relative.set(item.created_at, (text = relativeTime(item.created_at, this.now, this.locale)));
    return text;
  }

  fullTime(item: InboxNotification): string {
    let text = this.full.get(item.created_at);
    if (text === undefined) this.full.set(item.created_at, (text = fullTime(item.created_at, this.locale)));
    return text;
  }

  private urlsOf(item: InboxNotification): { link: string | undefined; icon: string | undefined } {
    let urls = this.urls.get(item);
    if (!urls) {
      const base = document.baseURI;
      urls = {
        link: safeUrl(item.action_url, base) ? (item.action_url ?? undefined) : undefined,
        icon: safeUrl(item.icon, base) ? (item.icon ?? undefined) : undefined,
      };
      this.urls.set(item, urls);
    }
    return urls;
  }
}
