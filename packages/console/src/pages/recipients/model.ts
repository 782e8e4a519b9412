/** What the API answers about recipients, their preferences and their live connections. */

export type { Connection, Preferences, Recipient } from '@tidings/protocol';

/** How often the live connections are asked for again. */
export const connectionsRefreshMs = 5_000;

export function recipientPath(id: string): string {
  return `/v1/recipients/${encodeURIComponent(id)}`;
}
