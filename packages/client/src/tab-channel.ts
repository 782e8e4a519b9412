import type { ServerFrame } from '@tidings/protocol';
import type { StateChange } from './events.ts';
import { serverFrame } from './frames.ts';
import { anything, fits, integer, object, oneOf, optional, string, union, type Guard } from './guards.ts';

/** The part of the standard BroadcastChannel the SDK uses. Messages go to every other channel of the same name and origin. */
export interface BroadcastChannelLike {
  onmessage: { bivarianceHack(event: { data: unknown }): void }['bivarianceHack'] | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** A BroadcastChannel constructor: `globalThis.BroadcastChannel` in browsers. */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/**
 * What the tabs sharing one connection tell each other over their BroadcastChannel.
 *
 * From the leader (the tab holding the connection) to every other tab:
 * - `snapshot`: its state, lastSeq and unread count, answering a `hello`;
 * - `frame`: a frame it received. On `connection_established`, `since` is where the connection's
 *   replay starts (absent: no replay); on `resume_complete`, where the replay it ends started;
 * - `state`, `error`, `admin`: its connection's state changes, errors, and an admin disconnect.
 *
 * From a follower to the leader:
 * - `hello`: a tab opened and wants a snapshot;
 * - `replay`: the tab needs every notification after `since` (the leader asks the gateway unless
 *   a replay already on its way covers it);
 * - `connect`: the tab's `connect()` while the leader's connection had stopped (4003, refused token).
 */
export type TabMessage =
  | { kind: 'hello' }
  | { kind: 'snapshot'; state: StateChange; lastSeq: number | undefined; unreadCount: number | undefined }
  | { kind: 'frame'; frame: ServerFrame; since: number | undefined }
  | { kind: 'state'; change: StateChange }
  | { kind: 'error'; code: string; message: string; details: unknown }
  | { kind: 'admin'; code: number; reason: string }
  | { kind: 'replay'; since: number }
  | { kind: 'connect' };

const seq = optional(integer(0));
const closeCode = optional(integer(0));

const stateChange: Guard<StateChange> = object({
  state: oneOf(['connecting', 'open', 'reconnecting', 'closed']),
  transport: optional(oneOf(['ws', 'sse'])),
  code: closeCode,
  reason: optional(string),
  retryInMs: optional(integer(0)),
});

const tabMessage = union<TabMessage>('kind', {
  hello: object({ kind: oneOf(['hello']) }),
  snapshot: object({ kind: oneOf(['snapshot']), state: stateChange, lastSeq: seq, unreadCount: seq }),
  frame: object({ kind: oneOf(['frame']), frame: serverFrame, since: seq }),
  state: object({ kind: oneOf(['state']), change: stateChange }),
  error: object({ kind: oneOf(['error']), code: string, message: string, details: anything }),
  admin: object({ kind: oneOf(['admin']), code: integer(0), reason: string }),
  replay: object({ kind: oneOf(['replay']), since: integer(0) }),
  connect: object({ kind: oneOf(['connect']) }),
} satisfies Record<TabMessage['kind'], Guard<TabMessage>>);

/**
 * A message from another tab, or undefined for anything else: tabs of one origin may run other
 * builds of the page, and a message this build cannot read is dropped rather than acted on.
 */
export function readTabMessage(data: unknown): TabMessage | undefined {
  return fits(tabMessage, data) ? data : undefined;
}
