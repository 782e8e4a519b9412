import { clientFrameSchema, serverFrameSchema, type ClientFrame, type ServerFrame } from '@tidings/protocol';
import { clientErrorCodes, TidingsError } from './errors.ts';

type Issues = { issues: { path: PropertyKey[]; message: string }[] };

const describe = (error: Issues) => error.issues.map((issue) => `${issue.path.map(String).join('.') || 'frame'}: ${issue.message}`).join('; ');

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
  const parsed = serverFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return new TidingsError(clientErrorCodes.invalidFrame, `received a frame that does not match the protocol: ${describe(parsed.error)}`, {
    frame: data.slice(0, 200),
  });
}

/** A client frame checked against the protocol, so a bad argument throws at the call instead of earning an error frame later. */
export function checkedFrame(frame: ClientFrame): ClientFrame {
  const parsed = clientFrameSchema.safeParse(frame);
  if (parsed.success) return parsed.data;
  throw new TidingsError(clientErrorCodes.invalidArgument, `invalid ${frame.type}: ${describe(parsed.error)}`);
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
