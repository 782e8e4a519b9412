import type { ServerResponse } from 'node:http';
import type { Preferences } from '@tidings/client';
import { send } from './fake-http.ts';
import type { FakeInbox } from './fake-inbox.ts';

/** The REST routes the element calls, as DESIGN.md "REST" shapes them, answered from `inbox`. */
export function routeRest(inbox: FakeInbox, method: string, url: URL, body: Record<string, unknown> | undefined, res: ServerResponse): void {
  const path = url.pathname;
  const byId = /^\/v1\/notifications\/([0-9a-f-]{36})(\/read|\/unread)?$/.exec(path);
  if (method === 'GET' && path === '/v1/notifications') return send(res, 200, list(inbox, url.searchParams));
  if (method === 'GET' && path === '/v1/notifications/unread-count') return send(res, 200, { count: inbox.unreadCount });
  if (method === 'POST' && path === '/v1/notifications/read-all') return send(res, 200, { updated: inbox.readAll(body?.type as string | undefined) });
  if (method === 'POST' && path === '/v1/notifications/read') return send(res, 200, { updated: inbox.setRead(body?.ids as string[], true) });
  if (method === 'POST' && path === '/v1/notifications/delete') {
    const ids =
      body?.all_read === true
        ? inbox
            .live()
            .filter((n) => n.is_read)
            .map((n) => n.id)
        : ((body?.ids as string[]) ?? []);
    return send(res, 200, { deleted: inbox.remove(ids) });
  }
  if (byId) {
    const [, id = '', action] = byId;
    const notification = inbox.find(id);
    if (!notification) return send(res, 404, { error: { code: 'not_found', message: 'no such notification' } });
    if (method === 'GET' && !action) return send(res, 200, inbox.rest(notification));
    if (method === 'POST' && action) {
      inbox.setRead([id], action === '/read');
      return send(res, 204);
    }
    if (method === 'DELETE' && !action) {
      inbox.remove([id]);
      return send(res, 204);
    }
  }
  if (path === '/v1/preferences' && method === 'GET') return send(res, 200, inbox.preferences);
  if (path === '/v1/preferences' && method === 'PUT') {
    const { types, ...rest } = (body ?? {}) as Partial<Preferences> & { types?: Record<string, object | null> };
    const merged = { ...inbox.preferences.types };
    for (const [key, value] of Object.entries(types ?? {})) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    inbox.preferences = { ...inbox.preferences, ...rest, types: merged };
    return send(res, 200, inbox.preferences);
  }
  if (method === 'GET' && path === '/v1/notification-types') return send(res, 200, { items: inbox.types });
  return send(res, 404, { error: { code: 'not_found', message: `no route ${method} ${path}` } });
}

/** Keyset pagination by seq, newest first; the cursor is the last seq of the previous page. */
function list(inbox: FakeInbox, query: URLSearchParams) {
  const limit = Math.min(100, Number(query.get('limit') ?? 20));
  const cursor = query.get('cursor');
  const type = query.get('type');
  const q = query.get('q')?.toLowerCase();
  const matching = inbox
    .live()
    .filter((n) => (cursor ? n.seq < Number(cursor) : true))
    .filter((n) => (query.get('unread_only') === 'true' ? !n.is_read : true))
    .filter((n) => (type ? n.type === type : true))
    .filter((n) => (q ? n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q) : true))
    .sort((a, b) => b.seq - a.seq);
  const items = matching.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map((n) => inbox.rest(n)), next_cursor: matching.length > limit && last ? String(last.seq) : null };
}
