import { TidingsInbox } from './tidings-inbox/tidings-inbox.component.ts';

export { TidingsInbox } from './tidings-inbox/tidings-inbox.component.ts';
export type { InboxNotification, InboxTheme, TidingsNavigateDetail, TidingsNavigateEvent, UserNotificationType } from './types.ts';
export { bundledLocales, type BundledLocale } from './locales/index.ts';

// A second copy of the bundle on one page (two embeds) must not throw on the second define.
if (!customElements.get('tidings-inbox')) customElements.define('tidings-inbox', TidingsInbox);

declare global {
  interface HTMLElementTagNameMap {
    'tidings-inbox': TidingsInbox;
  }
  interface HTMLElementEventMap {
    'tidings:navigate': import('./types.ts').TidingsNavigateEvent;
  }
}
