import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { InboxNotification } from '../types.ts';

export interface Toast {
  notification: InboxNotification;
  /** Critical toasts stay until dismissed; high ones hide by themselves. */
  sticky: boolean;
}

/** Toasts on screen at once; older ones make room. */
const MAX_TOASTS = 3;

/**
 * Toasts for `high` and `critical` arrivals while the panel is closed. A `high` toast hides after
 * `hideAfterMs`, but not while the pointer or focus is on the toasts (someone is reading one).
 * The region they render into (`.toasts`, a manual popover) is shown while there are any.
 */
export class ToastController implements ReactiveController {
  toasts: Toast[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private held = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly hideAfterMs = 8_000,
  ) {
    host.addController(this);
  }

  show(notification: InboxNotification): void {
    if (this.toasts.some((toast) => toast.notification.id === notification.id)) return;
    const toast: Toast = { notification, sticky: notification.priority === 'critical' };
    const kept = this.toasts.slice(-(MAX_TOASTS - 1));
    for (const dropped of this.toasts.slice(0, this.toasts.length - kept.length)) this.clearTimer(dropped.notification.id);
    this.toasts = [...kept, toast];
    if (!toast.sticky && !this.held) this.schedule(notification.id);
    this.host.requestUpdate();
  }

  dismiss(id: string): void {
    this.clearTimer(id);
    const toasts = this.toasts.filter((toast) => toast.notification.id !== id);
    if (toasts.length === this.toasts.length) return;
    this.toasts = toasts;
    this.host.requestUpdate();
  }

  clear(): void {
    for (const id of this.timers.keys()) this.clearTimer(id);
    if (this.toasts.length === 0) return;
    this.toasts = [];
    this.host.requestUpdate();
  }

  /** Pauses hiding while the user points at or focuses the toasts. */
  hold(): void {
    this.held = true;
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
  }

  release(): void {
    this.held = false;
    for (const toast of this.toasts) if (!toast.sticky) this.schedule(toast.notification.id);
  }

  hostUpdated(): void {
    const region = this.host.shadowRoot?.querySelector<HTMLElement>('.toasts');
    if (!region || typeof region.showPopover !== 'function') return;
    const shown = region.matches(':popover-open');
    if (this.toasts.length > 0 && !shown) region.showPopover();
    else if (this.toasts.length === 0 && shown) region.hidePopover();
  }

  hostDisconnected(): void {
    this.clear();
  }

  private schedule(id: string): void {
    this.clearTimer(id);
    this.timers.set(
      id,
      setTimeout(() => this.dismiss(id), this.hideAfterMs),
    );
  }

  private clearTimer(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}
