import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { escapeHtml } from '@tidings/email/placeholders';
import { guardHttpServer, httpServerOptions, requestTarget, type Logger, type OpsHandler } from '@tidings/server-kit';
import type { MessageStore, StoredMessage } from './store.ts';

/**
 * The mailbox's pages and JSON API. Every value from a message is HTML-escaped; a message's HTML
 * is shown only inside `<iframe sandbox="" srcdoc="…">`, so its scripts, forms and links cannot
 * run or navigate, and the page's Content-Security-Policy (inherited by the srcdoc frame) blocks
 * scripts again. `ops` answers `/healthz`, `/readyz` and `/metrics`.
 */
export function createHttpServer(store: MessageStore, logger: Logger, ops: OpsHandler): Server {
  const server = createServer(httpServerOptions, (req, res) => {
    try {
      if (!ops(req, res)) route(store, req, res);
    } catch (error) {
      logger.error({ err: error, method: req.method, path: requestTarget(req).pathname }, 'mailbox request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    }
  });
  return guardHttpServer(server, logger);
}

const contentSecurityPolicy = [
  "default-src 'none'",
  'img-src * data:',
  "style-src 'unsafe-inline'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function route(store: MessageStore, req: IncomingMessage, res: ServerResponse): void {
  const path = requestTarget(req).pathname;
  const method = req.method ?? 'GET';
  const messagePage = /^\/messages\/(\d+)$/.exec(path);
  const messageJson = /^\/api\/messages\/(\d+)$/.exec(path);

  if (path === '/' && method === 'GET') return sendHtml(res, 200, listPage(store.list()));
  if (path === '/clear' && method === 'POST') {
    store.clear();
    res.writeHead(303, { location: '/' }).end();
    return;
  }
  if (messagePage && method === 'GET') {
    const message = store.get(messagePage[1]!);
    return message
      ? sendHtml(res, 200, messagePageHtml(message))
      : sendHtml(res, 404, layout('Not found', '<p>No such message (it may have been cleared).</p>'));
  }
  if (path === '/api/messages') {
    if (method === 'GET') return sendJson(res, 200, store.list().map(toJson));
    if (method === 'DELETE') {
      store.clear();
      res.writeHead(204).end();
      return;
    }
    return methodNotAllowed(res, 'GET, DELETE');
  }
  if (messageJson && method === 'GET') {
    const message = store.get(messageJson[1]!);
    return message ? sendJson(res, 200, toJson(message)) : sendJson(res, 404, { error: { code: 'not_found', message: 'message not found' } });
  }
  sendJson(res, 404, { error: { code: 'not_found', message: `no route for ${method} ${path}` } });
}

/** The JSON shape of a message (snake_case, like every Tidings API). */
function toJson(message: StoredMessage) {
  return {
    id: message.id,
    from: message.from,
    to: message.to,
    subject: message.subject,
    date: message.date.toISOString(),
    received_at: message.receivedAt.toISOString(),
    envelope: message.envelope,
    headers: message.headers,
    html: message.html,
    text: message.text,
    size: message.size,
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.setHeader('content-security-policy', contentSecurityPolicy);
  res.setHeader('referrer-policy', 'no-referrer');
  send(res, status, 'text/html; charset=utf-8', html);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  sendJson(res, 405, { error: { code: 'method_not_allowed', message: `use ${allow}` } });
}

const styles = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2933; background: #f4f5f7; }
  header { background: #1f2933; color: #fff; padding: 12px 24px; display: flex; align-items: center; gap: 16px; }
  header a { color: #fff; text-decoration: none; font-weight: 600; }
  header form { margin-left: auto; }
  main { padding: 16px 24px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  th { font-weight: 600; color: #6b7280; }
  td.subject a { color: #1d4ed8; text-decoration: none; }
  .empty { color: #6b7280; }
  iframe { width: 100%; height: 640px; border: 1px solid #e5e7eb; background: #fff; }
  pre { white-space: pre-wrap; word-break: break-word; background: #fff; padding: 12px; border: 1px solid #e5e7eb; }
  dl.headers { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; background: #fff; padding: 12px; border: 1px solid #e5e7eb; }
  dl.headers dt { font-weight: 600; color: #6b7280; }
  dl.headers dd { margin: 0; white-space: pre-wrap; word-break: break-all; font-family: ui-monospace, monospace; font-size: 12px; }
`;

function layout(title: string, content: string, refreshSeconds?: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${refreshSeconds}">`}
<title>${escapeHtml(title)} · Tidings mailbox</title>
<style>${styles}</style>
</head>
<body>
<header><a href="/">Tidings mailbox</a><span>every email the stack sends lands here, none is delivered</span>
<form method="post" action="/clear"><button type="submit">Clear all</button></form></header>
<main>
${content}
</main>
</body>
</html>
`;
}

function listPage(messages: StoredMessage[]): string {
  if (messages.length === 0) return layout('Inbox', '<p class="empty">No messages yet. This page refreshes by itself.</p>', 5);
  const rows = messages
    .map(
      (message) => `<tr>
<td>${escapeHtml(message.receivedAt.toISOString())}</td>
<td>${escapeHtml(message.from)}</td>
<td>${escapeHtml(message.to || message.envelope.to.join(', '))}</td>
<td class="subject"><a href="/messages/${escapeHtml(message.id)}">${escapeHtml(message.subject || '(no subject)')}</a></td>
</tr>`,
    )
    .join('\n');
  return layout(
    'Inbox',
    `<table>
<thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
    5,
  );
}

function messagePageHtml(message: StoredMessage): string {
  const headers = Object.entries(message.headers)
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('\n');
  const html =
    message.html === null
      ? '<p class="empty">No HTML part.</p>'
      : `<iframe sandbox="" referrerpolicy="no-referrer" title="HTML part" srcdoc="${escapeHtml(message.html)}"></iframe>`;
  const text = message.text === null ? '<p class="empty">No text part.</p>' : `<pre>${escapeHtml(message.text)}</pre>`;
  return layout(
    message.subject || '(no subject)',
    `<h1>${escapeHtml(message.subject || '(no subject)')}</h1>
<p>From ${escapeHtml(message.from)} to ${escapeHtml(message.to)} · envelope ${escapeHtml(message.envelope.from ?? '<>')} → ${escapeHtml(
      message.envelope.to.join(', '),
    )} · ${escapeHtml(message.date.toISOString())} · <a href="/api/messages/${escapeHtml(message.id)}">JSON</a></p>
<h2>HTML</h2>
${html}
<h2>Text</h2>
${text}
<h2>Headers</h2>
<dl class="headers">
${headers}
</dl>`,
  );
}
