import type { InboxNotification } from '../types.ts';

/** Remembers the user's opt-in per site, so a permission granted for something else does not turn these on. */
const STORAGE_KEY = 'tidings-inbox:browser-notifications';

export type BrowserNotificationState = 'unsupported' | 'denied' | 'off' | 'on';

/**
 * System notifications, opt-in: permission is asked only from the user's click, and a
 * notification is shown only while the page is hidden (a visible page has the bell and toasts).
 * Its `tag` is the notification's id, so two hidden tabs that both receive it show it once.
 */
export class BrowserNotifier {
  get state(): BrowserNotificationState {
    if (typeof Notification === 'undefined') return 'unsupported';
    if (Notification.permission === 'denied') return 'denied';
    return Notification.permission === 'granted' && readOptIn() ? 'on' : 'off';
  }

  /** Asks for permission (call it from a click) and opts in when granted. */
  async enable(): Promise<BrowserNotificationState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    const permission = await Notification.requestPermission();
    if (permission === 'granted') writeOptIn(true);
    return this.state;
  }

  disable(): void {
    writeOptIn(false);
  }

  /** Shows `notification` as a system notification when opted in and the page is hidden. */
  show(notification: InboxNotification, icon: string | undefined, onClick: () => void): void {
    // Visibility first: it is the cheap check, and a visible page is the common case.
    if (document.visibilityState !== 'hidden' || this.state !== 'on') return;
    const options: NotificationOptions = { body: notification.body, tag: notification.id };
    if (icon) options.icon = icon;
    try {
      const shown = new Notification(notification.title, options);
      shown.onclick = () => {
        window.focus();
        shown.close();
        onClick();
      };
    } catch {
      // Some browsers (Chrome on Android) only allow notifications from a service worker.
    }
  }
}

/** The opt-in when storage is blocked (a privacy mode): it then lasts as long as the page. */
let optInWithoutStorage = false;

function readOptIn(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return optInWithoutStorage;
  }
}

function writeOptIn(on: boolean): void {
  optInWithoutStorage = on;
  try {
    if (on) localStorage.setItem(STORAGE_KEY, 'on');
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage is blocked: optInWithoutStorage holds it.
  }
}
