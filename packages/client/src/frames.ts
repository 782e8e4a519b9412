import type { ClientFrame, ServerFrame, WireNotification } from '@tidings/protocol';
import { errorFrameCodes, limits } from '@tidings/protocol/constants';
import { clientErrorCodes, TidingsError } from './errors.ts';
import { anything, arrayOf, boolean, integer, matching, nullable, object, oneOf, optional, recordOf, string, union, uuid, type Guard } from './guards.ts';

/** The protocol's `typeKeySchema`. */
export const typeKey = matching(
  new RegExp(`^[a-z0-9][a-z0-9_.-]{0,${limits.typeKeyLength - 1}}$`),
  `a type key (lower-case letters, digits and _ . -, starting with a letter or digit, at most ${limits.typeKeyLength})`,
);

const priority = oneOf(['low', 'normal', 'high', 'critical']);

/** The fields of a notification as it travels to clients (REST adds `user_id` and `read_at`, and checks `type` as a type key). */
export const wireNotificationFields = {
  id: uuid,
  seq: integer(1),
  type: string,
  title: string,
  body: string,
  data: recordOf(anything),
  icon: nullable(string),
  action_url: nullable(string),
  priority,
  created_at: string,
  is_read: boolean,
};

export const wireNotification: Guard<WireNotification> = object(wireNotificationFields);

const count = integer(0);
const ids = arrayOf(uuid);

const serverFrames: { [K in ServerFrame['type']]: Guard<ServerFrame> } = {
  connection_established: object({
    type: oneOf(['connection_established']),
    connection_id: string,
    user_id: string,
    heartbeat_ms: integer(Number.MIN_SAFE_INTEGER),
    last_seq: count,
    unread_count: count,
  }),
  notification: object({ type: oneOf(['notification']), notification: wireNotification }),
  resume_complete: object({ type: oneOf(['resume_complete']), count, last_seq: count }),
  notification_read: object({ type: oneOf(['notification_read']), ids }),
  notification_unread: object({ type: oneOf(['notification_unread']), ids }),
  notification_deleted: object({ type: oneOf(['notification_deleted']), ids }),
  all_read: object({ type: oneOf(['all_read']), type_filter: optional(string) }),
  unread_count: object({ type: oneOf(['unread_count']), count }),
  pong: object({ type: oneOf(['pong']) }),
  heartbeat: object({ type: oneOf(['heartbeat']) }),
  subscription_updated: object({ type: oneOf(['subscription_updated']), types: arrayOf(string) }),
  error: object({ type: oneOf(['error']), code: oneOf(errorFrameCodes), message: string }),
};

const typeList = arrayOf(typeKey, 100);

const clientFrames: { [K in ClientFrame['type']]: Guard<ClientFrame> } = {
  ping: object({ type: oneOf(['ping']) }),
  resume: object({ type: oneOf(['resume']), since: count }),
  mark_read: object({ type: oneOf(['mark_read']), ids: arrayOf(uuid, limits.idsPerReadRequest) }),
  mark_all_read: object({ type: oneOf(['mark_all_read']), type_filter: optional(typeKey) }),
  subscribe: object({ type: oneOf(['subscribe']), types: typeList }),
  unsubscribe: object({ type: oneOf(['unsubscribe']), types: typeList }),
  auth: object({ type: oneOf(['auth']), token: matching(/^[^]{1,8192}$/, 'a token of 1 to 8192 characters') }),
};

export const serverFrame = union('type', serverFrames);
const clientFrame = union('type', clientFrames);

/** A parsed frame checked against the protocol: the frame, or what is wrong with it. */
export function checkServerFrame(json: unknown): ServerFrame | string {
  return serverFrame(json, '') ?? (json as ServerFrame);
}

/**
 * Reads one frame from the gateway. Answers a `TidingsError` (`invalid_frame`) instead of throwing,
 * because it runs inside socket callbacks, where a throw would stop the client.
 */
export function parseServerFrame(data: unknown): ServerFrame | TidingsError {
  if (typeof data !== 'string') return new TidingsError(clientErrorCodes.invalidFrame, 'received a binary frame; the protocol is JSON text');
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return new TidingsError(clientErrorCodes.invalidFrame, 'received a frame that is not JSON', { frame: data.slice(0, 200) });
  }
  const frame = checkServerFrame(json);
  if (typeof frame !== 'string') return frame;
  return new TidingsError(clientErrorCodes.invalidFrame, `received a frame that does not match the protocol: ${frame}`, { frame: data.slice(0, 200) });
}

/** A client frame checked against the protocol, so a bad argument throws at the call instead of earning an error frame later. */
export function checkedFrame(frame: ClientFrame): ClientFrame {
  const problem = clientFrame(frame, '');
  if (problem === undefined) return frame;
  throw new TidingsError(clientErrorCodes.invalidArgument, `invalid ${frame.type}: ${problem}`);
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i++) (out[Math.floor(i / size)] ??= []).push(items[i]!);
  return out;
}
