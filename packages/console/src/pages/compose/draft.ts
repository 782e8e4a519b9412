import type { CreateNotificationBody, Priority, Target } from '../../api/types.ts';

/** The compose form's state, as the admin typed it. */
export interface Draft {
  mode: 'users' | 'roles' | 'all';
  userIds: string;
  roles: string;
  type: string;
  title: string;
  body: string;
  actionUrl: string;
  priority: Priority;
  data: string;
  when: 'now' | 'later';
  /** A datetime-local value, in the browser's zone. */
  sendAt: string;
}

export const emptyDraft: Draft = {
  mode: 'users',
  userIds: '',
  roles: '',
  type: '',
  title: '',
  body: '',
  actionUrl: '',
  priority: 'normal',
  data: '',
  when: 'now',
  sendAt: '',
};

export const TYPE_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;

/** Ids or roles separated by commas or new lines, trimmed, empties and repeats left out. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ];
}

/** Who the draft addresses; `null` while it names nobody. */
export function targetOf(draft: Pick<Draft, 'mode' | 'userIds' | 'roles'>): Target | null {
  if (draft.mode === 'all') return { all: true };
  const list = splitList(draft.mode === 'users' ? draft.userIds : draft.roles);
  if (list.length === 0) return null;
  return draft.mode === 'users' ? { user_ids: list } : { roles: list };
}

export type DataParse = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; message: string };

/** The data field: empty is none; otherwise a JSON object. */
export function parseData(text: string): DataParse {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not-object' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A datetime-local value (local wall time) as an ISO instant; `null` when it is not a time. */
export function localToIso(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The form's own objections, by field, before anything is sent. */
export type DraftProblem = 'recipients' | 'typeMissing' | 'typeFormat' | 'title' | 'data' | 'sendAtMissing' | 'sendAtPast';

export function draftProblems(draft: Draft, now: number = Date.now()): Partial<Record<keyof Draft, DraftProblem>> {
  const problems: Partial<Record<keyof Draft, DraftProblem>> = {};
  if (targetOf(draft) === null) problems[draft.mode === 'roles' ? 'roles' : 'userIds'] = 'recipients';
  if (draft.type.trim() === '') problems.type = 'typeMissing';
  else if (!TYPE_KEY_PATTERN.test(draft.type.trim())) problems.type = 'typeFormat';
  if (draft.title.trim() === '') problems.title = 'title';
  if (!parseData(draft.data).ok) problems.data = 'data';
  if (draft.when === 'later') {
    const iso = localToIso(draft.sendAt);
    if (iso === null) problems.sendAt = 'sendAtMissing';
    else if (Date.parse(iso) <= now) problems.sendAt = 'sendAtPast';
  }
  return problems;
}

/** The request body of a draft the form has no objection to. */
export function requestOf(draft: Draft): CreateNotificationBody {
  const target = targetOf(draft);
  const data = parseData(draft.data);
  if (target === null || !data.ok) throw new Error('requestOf needs a draft without problems');
  const body: CreateNotificationBody = { to: target, type: draft.type.trim(), title: draft.title.trim(), priority: draft.priority };
  if (draft.body.trim() !== '') body.body = draft.body;
  if (draft.actionUrl.trim() !== '') body.action_url = draft.actionUrl.trim();
  if (data.value !== undefined) body.data = data.value;
  if (draft.when === 'later') body.send_at = localToIso(draft.sendAt);
  return body;
}

/** The body of a dry run for the recipient count: the target and type, the rest stand-ins. */
export function dryRunOf(draft: Draft): CreateNotificationBody | null {
  const target = targetOf(draft);
  if (target === null) return null;
  const type = draft.type.trim();
  return { to: target, type: TYPE_KEY_PATTERN.test(type) ? type : 'console.compose', title: 'Recipient count', dry_run: true };
}

/** The draft field an API problem path (`to.user_ids.3`, `title`, `send_at`) belongs to. */
export function fieldOfPath(path: string, mode: Draft['mode']): keyof Draft | null {
  const head = path.split('.')[0] ?? '';
  switch (head) {
    case 'to':
      return mode === 'roles' ? 'roles' : mode === 'users' ? 'userIds' : 'mode';
    case 'type':
      return 'type';
    case 'title':
      return 'title';
    case 'body':
      return 'body';
    case 'action_url':
      return 'actionUrl';
    case 'priority':
      return 'priority';
    case 'data':
      return 'data';
    case 'send_at':
      return 'sendAt';
    default:
      return null;
  }
}

/**
 * A fresh `Idempotency-Key` for one composed message: 128 random bits as hex. `crypto.randomUUID`
 * exists only in secure contexts, and a console opened over plain http on a LAN address is not one.
 */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
