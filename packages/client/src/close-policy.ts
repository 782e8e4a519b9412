import { closeCodes } from '@tidings/protocol/constants';

/**
 * What the client does after a connection ends:
 * - `backoff`: reconnect after a full-jitter exponential delay, resuming from lastSeq;
 * - `at_once`: reconnect without widening the backoff window (still jittered within its first step);
 * - `reauthenticate`: the token was refused; reconnect once with a fresh token, stop if that is
 *   refused too or the provider answers the same token;
 * - `stop`: terminal; stay disconnected.
 */
export type CloseAction = 'backoff' | 'at_once' | 'reauthenticate' | 'stop';

/**
 * The close-code table, in one place (the README repeats it). Codes split into retryable and
 * terminal as in Centrifugo; anything unknown (1000, 1001, 1006, 1011, …) is a retryable drop,
 * because giving up on an unfamiliar code would strand the user with no notifications.
 */
export const closePolicy: Readonly<Record<number, { action: CloseAction; meaning: string }>> = {
  [closeCodes.badToken]: { action: 'reauthenticate', meaning: 'bad token or origin not allowed' },
  [closeCodes.tokenExpired]: { action: 'at_once', meaning: 'token expired; reconnect with a fresh token' },
  [closeCodes.frameTooLarge]: { action: 'backoff', meaning: 'a client frame was too large' },
  [closeCodes.gatewayDraining]: { action: 'at_once', meaning: 'gateway draining; reconnect elsewhere' },
  [closeCodes.slowConsumer]: { action: 'backoff', meaning: 'slow consumer; reconnect and resume' },
  [closeCodes.tooManyMessages]: { action: 'backoff', meaning: 'too many messages from the client' },
  // The token is fine: refreshing it would not help, and stopping would strand the user once a connection frees up.
  [closeCodes.tooManyConnections]: { action: 'backoff', meaning: 'too many connections for this user; wait and retry' },
  [closeCodes.forcedDisconnect]: { action: 'stop', meaning: 'disconnected by an admin' },
};

/** The action for a close code. */
export function closeActionFor(code: number): CloseAction {
  return closePolicy[code]?.action ?? 'backoff';
}
