/**
 * Shapes of the REST answers and bodies the console uses: the API's own types, inferred from the
 * schemas that validate them. Imported as types only, so nothing of zod reaches the page.
 */
export type {
  Broadcast,
  BroadcastStatus,
  CreateNotificationBody,
  CreateNotificationResult,
  DryRunResult,
  EmailStatus,
  NotificationType,
  Page as Paged,
  Priority,
  Stats,
  Target,
  Timeseries,
  TimeseriesBucket,
} from '@tidings/protocol';
