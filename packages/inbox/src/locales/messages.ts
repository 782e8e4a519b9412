/**
 * A string that depends on a count: one form per CLDR plural category the language uses, chosen
 * through `Intl.PluralRules`. `other` is required because every language has it.
 */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Every string the element shows or announces. `{name}` placeholders are filled by the
 * translator; a locale file must provide every key, which the type enforces.
 */
export interface Messages {
  bell: string;
  bellUnread: PluralMessage;
  panelTitle: string;
  close: string;
  moreActions: string;
  openPreferences: string;
  backToInbox: string;
  typeFilter: string;
  allTypes: string;
  unreadOnly: string;
  search: string;
  markAllRead: string;
  clearRead: string;
  listLabel: string;
  loading: string;
  loadMore: string;
  loadingMore: string;
  loadMoreFailed: string;
  emptyTitle: string;
  emptyHint: string;
  emptyFiltered: string;
  clearFilters: string;
  loadFailed: string;
  retry: string;
  offline: string;
  disconnected: string;
  unread: string;
  priorityHigh: string;
  priorityCritical: string;
  markRead: string;
  markUnread: string;
  delete: string;
  actionFailed: string;
  announceOne: string;
  announceMany: PluralMessage;
  dismiss: string;
  preferencesTitle: string;
  preferencesLoadFailed: string;
  channelsHeading: string;
  inAppAll: string;
  emailAll: string;
  digest: string;
  digestHint: string;
  digestOff: string;
  digestDaily: string;
  digestWeekly: string;
  typesHeading: string;
  typeColumn: string;
  inApp: string;
  email: string;
  lockedHint: string;
  saving: string;
  saved: string;
  saveFailed: string;
  browserHeading: string;
  browserEnable: string;
  browserOn: string;
  browserDisable: string;
  browserDenied: string;
  browserUnsupported: string;
}
