/** What the admin API answers for notifications (`GET /v1/admin/notifications`). */

export type { Notification as AdminNotification, Page as PageOf, Priority } from '@tidings/protocol';

/** How many rows a list asks for at a time. */
export const pageSize = 50;

/** A path segment as text; wouter has already decoded part of it, so a bad escape is kept as it is. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
