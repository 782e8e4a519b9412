export { TidingsProvider, useTidingsClient, type TidingsProviderProps, type TidingsTheme } from './provider.tsx';
export {
  useConnectionState,
  useNotifications,
  usePreferences,
  useUnreadCount,
  type NotificationsResult,
  type PreferencesResult,
  type UseNotificationsOptions,
} from './hooks.ts';
export { TidingsInbox, type TidingsInboxProps, type TidingsNavigateEvent } from './inbox.tsx';
export type { UserNotificationType } from './preferences.ts';
export type { ConnectionState, Preferences, PreferencesUpdate, TidingsClient, WireNotification } from '@tidings/client';
