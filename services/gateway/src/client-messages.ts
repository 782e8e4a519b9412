import { TokenError, type Principal } from '@tidings/auth';
import type { Inbox } from '@tidings/domain';
import { clientFrameSchema, closeCodes, serverFrames, type ClientFrame } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import type { Connection } from './connection.ts';
import type { Replayer } from './replay.ts';

export interface ClientMessageDeps {
  inbox: Inbox;
  replayer: Replayer;
  verify: (token: string) => Principal;
  logger: Logger;
  /** Token expiry moved (after an `auth` frame): the expiry sweep re-files the connection. */
  onExpiryChanged(connection: Connection): void;
  messagesPer10s: number;
}

const RATE_WINDOW_MS = 10_000;

/**
 * Handles one text frame from a client. Never throws: bad input becomes an `error` frame or a
 * close code, and the connection (and every other one) carries on.
 */
export async function handleClientMessage(deps: ClientMessageDeps, connection: Connection, raw: string): Promise<void> {
  const rate = connection.countMessage(Date.now(), RATE_WINDOW_MS, deps.messagesPer10s);
  if (rate === 'close') {
    deps.logger.info({ user: connection.userId, connection: connection.id }, 'connection closed for flooding');
    connection.sink.close(closeCodes.tooManyMessages, 'too many messages');
    return;
  }
  if (rate === 'warn') {
    connection.send(serverFrames.error('rate_limited', `more than ${deps.messagesPer10s} messages in 10 s; slow down or be disconnected`));
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    connection.send(serverFrames.error('invalid_json', 'the frame is not valid JSON'));
    return;
  }
  const result = clientFrameSchema.safeParse(parsed);
  if (!result.success) {
    const type = (parsed as { type?: unknown } | null)?.type;
    const known = clientFrameSchema.options.some((option) => option.shape.type.value === type);
    if (!known) {
      connection.send(serverFrames.error('unknown_message_type', `unknown message type ${JSON.stringify(type ?? null)}`));
    } else {
      const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; ');
      connection.send(serverFrames.error('invalid_message', problems));
    }
    return;
  }
  try {
    await apply(deps, connection, result.data);
  } catch (error) {
    deps.logger.error({ err: error, user: connection.userId, type: result.data.type }, 'client message failed');
    connection.send(serverFrames.error('internal_error', 'the request failed; try again'));
  }
}

async function apply(deps: ClientMessageDeps, connection: Connection, frame: ClientFrame): Promise<void> {
  switch (frame.type) {
    case 'ping':
      connection.send(serverFrames.pong);
      return;
    case 'resume':
      await deps.replayer.replay(connection, frame.since);
      return;
    case 'mark_read':
      // The change comes back to every connection of the user, this one included, through Redis.
      await deps.inbox.setRead(connection.userId, frame.ids, true);
      return;
    case 'mark_all_read':
      await deps.inbox.markAllRead(connection.userId, frame.type_filter);
      return;
    case 'subscribe':
    case 'unsubscribe': {
      const types = new Set(connection.types ?? []);
      for (const type of frame.types) {
        if (frame.type === 'subscribe') types.add(type);
        else types.delete(type);
      }
      connection.types = types.size === 0 ? undefined : types;
      connection.send(serverFrames.subscriptionUpdated([...types].sort()));
      return;
    }
    case 'auth': {
      let principal: Principal;
      try {
        principal = deps.verify(frame.token);
      } catch (error) {
        const message = error instanceof TokenError ? error.message : 'invalid token';
        connection.sink.close(closeCodes.badToken, message.slice(0, 120));
        return;
      }
      if (principal.userId !== connection.userId) {
        connection.sink.close(closeCodes.badToken, 'the new token is for another user');
        return;
      }
      // The same rule as at the upgrade: a service token has no inbox to stream.
      if (principal.isService) {
        connection.sink.close(closeCodes.badToken, 'a service token has no inbox to stream');
        return;
      }
      connection.expiresAt = principal.expiresAt;
      deps.onExpiryChanged(connection);
      return;
    }
  }
}
