import { busEventSchema, type BusEvent } from '@tidings/protocol';

/** The most schema problems one log line lists; the first ones are enough to find the publisher's bug. */
const MAX_PROBLEMS = 5;

const knownKinds: ReadonlySet<string> = new Set(busEventSchema.options.map((option) => option.shape.kind.value));

/**
 * A bus message that cannot be delivered, described without its content: titles, bodies and data
 * are users' data, so what gets logged is where the message went wrong, never what it said.
 */
export interface BusEventRejection {
  reason: 'unparsable' | 'unknown_kind' | 'invalid';
  /** The message's `kind` when it has a string one (cut short), for the log line. */
  kind?: string;
  /** Each problem as `path: message`; zod's messages name what was expected, not the value received. */
  problems?: string;
}

export type DecodedBusEvent = { ok: true; event: BusEvent } | { ok: false; rejection: BusEventRejection };

/**
 * Parses one message from the broker and checks it against the bus event schema. Never throws: a
 * message another version of the API (or a bug) published is answered as a rejection.
 */
export function decodeBusEvent(payload: string): DecodedBusEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, rejection: { reason: 'unparsable' } };
  }
  const result = busEventSchema.safeParse(parsed);
  if (result.success) return { ok: true, event: result.data };
  const isObject = typeof parsed === 'object' && parsed !== null;
  const kind = isObject ? (parsed as { kind?: unknown }).kind : undefined;
  const named = typeof kind === 'string' ? { kind: kind.slice(0, 40) } : {};
  if (isObject && !knownKinds.has(kind as string)) return { ok: false, rejection: { reason: 'unknown_kind', ...named } };
  const problems = result.error.issues
    .slice(0, MAX_PROBLEMS)
    .map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`)
    .join('; ');
  return { ok: false, rejection: { reason: 'invalid', ...named, problems } };
}
