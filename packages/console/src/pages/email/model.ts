/** What the admin API answers about email: delivery logs, rendered emails and suppressions. */
import type { EmailStatus, SuppressionReason } from '@tidings/protocol';

export type { EmailLog, EmailStatus, EmailSuppression as Suppression, RenderedEmail, SuppressionReason } from '@tidings/protocol';

/** Every status and reason, in the order the filters offer them. */
export const emailStatuses = ['queued', 'sent', 'failed', 'bounced', 'suppressed'] as const satisfies readonly EmailStatus[];

export const suppressionReasons = ['bounced', 'complained', 'manual'] as const satisfies readonly SuppressionReason[];

export function isEmailStatus(value: string | null): value is EmailStatus {
  return value !== null && (emailStatuses as readonly string[]).includes(value);
}

export function isSuppressionReason(value: string | null): value is SuppressionReason {
  return value !== null && (suppressionReasons as readonly string[]).includes(value);
}

/** The first line of an error, at most `max` characters (an ellipsis when cut). */
export function shortError(error: string, max = 80): string {
  const firstLine = error.split('\n', 1)[0]?.trim() ?? '';
  return firstLine.length > max ? `${firstLine.slice(0, max - 1).trimEnd()}…` : firstLine;
}
