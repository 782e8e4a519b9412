import type { InboxApi, WireNotification } from '@tidings/client';

/** A notification as the inbox holds it: the wire shape, which REST notifications also have. */
export type InboxNotification = WireNotification;

/** A type the user may set preferences for (`GET /v1/notification-types`). */
export type UserNotificationType = Awaited<ReturnType<InboxApi['types']>>[number];

/** Values of the `theme` attribute. */
export type InboxTheme = 'light' | 'dark' | 'auto';

/** `detail` of the `tidings:navigate` event. */
export interface TidingsNavigateDetail {
  /** The notification that was opened. */
  notification: InboxNotification;
  /** Its `action_url`, as stored (a relative URL stays relative); always http(s) or relative. */
  url: string;
}

/** The event the element dispatches before following a notification's `action_url`. */
export type TidingsNavigateEvent = CustomEvent<TidingsNavigateDetail>;
