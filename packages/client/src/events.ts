import type { WireNotification } from '@tidings/protocol';
import type { TidingsError } from './errors.ts';
import type { TransportKind } from './transport.ts';

/**
 * - `connecting`: the first attempt after `connect()`;
 * - `open`: the gateway greeted the client (`connection_established`); a replay may follow;
 * - `reconnecting`: the connection ended and another attempt is scheduled or under way;
 * - `closed`: `close()` was called, or a terminal close (4003, a refused token) stopped the client.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Payload of the `state` event. */
export interface StateChange {
  state: ConnectionState;
  /** The transport in use or about to be tried; undefined when none is available. */
  transport: TransportKind | undefined;
  /** Close code of the connection that just ended (`reconnecting`, or `closed` after a terminal close). */
  code?: number;
  reason?: string;
  /** How long until the next attempt, in ms (`reconnecting`). */
  retryInMs?: number;
}

/** The events of {@link TidingsClient}, each with its single payload. */
export interface TidingsEvents {
  /** A notification, exactly once and in seq order (after any local `subscribe` type filter). */
  notification: WireNotification;
  /** Notifications marked read, on any device of the user. */
  read: string[];
  /** Notifications marked unread, on any device. */
  unread: string[];
  /** Notifications deleted, on any device. */
  deleted: string[];
  /** Everything (or everything of `type_filter`) was marked read. */
  all_read: { type_filter?: string };
  /** The user's unread count: on every (re)connect and after each change. */
  unread_count: number;
  /** The connection state or transport changed (`reconnecting` is emitted for every retry). */
  state: StateChange;
  /** Something went wrong; the client carries on unless a `state: closed` follows. */
  error: TidingsError;
  /** An admin disconnected the user (close 4003); the client stays closed until `connect()`. */
  disconnected_by_admin: { code: number; reason: string };
}
