import { expect } from 'vitest';
import type { Listener } from './system.ts';

interface Response {
  status: number;
  head: string;
  body: string;
}

/** A chunked body's data, and what follows it. */
function dechunk(text: string): [string, string] {
  let body = '';
  let rest = text;
  for (;;) {
    const line = /^([0-9a-f]+)[^\r]*\r\n/i.exec(rest);
    if (!line) return [body + rest, ''];
    const size = parseInt(line[1]!, 16);
    rest = rest.slice(line[0].length);
    if (size === 0) return [body, rest.replace(/^\r\n/, '')];
    body += rest.slice(0, size);
    rest = rest.slice(size + 2);
  }
}

/** Splits an answer into the responses it holds (pipelined requests, `100 Continue`), each with its body. */
function responsesIn(text: string, method: string): Response[] {
  const out: Response[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/')) {
    const end = rest.indexOf('\r\n\r\n');
    const head = end === -1 ? rest : rest.slice(0, end);
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1] ?? 0);
    rest = end === -1 ? '' : rest.slice(end + 4);
    let body = '';
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (status >= 200 && status !== 204 && status !== 304 && method !== 'HEAD') {
      if (length !== undefined) body = rest.slice(0, Number(length));
      else if (/\r\ntransfer-encoding: *chunked/i.test(head)) [body, rest] = dechunk(rest);
      else [body, rest] = [rest, ''];
      if (length !== undefined) rest = rest.slice(body.length);
    }
    out.push({ status, head, body });
  }
  return out;
}

/**
 * Pages for people answer their errors as pages: the mailbox's message pages (an unknown message is
 * an HTML "not found" page, as its README describes `GET /messages/:id`), and the API's unsubscribe
 * page for a client that does not prefer JSON. Everything else answers errors as JSON.
 */
const pageForPeople = (listener: Listener, request: string) => {
  // The request line's target, whether or not a version follows it (llhttp answers a bare `GET /x` too).
  const target = /^[A-Z]+ ([^ \r\n]*)/.exec(request)?.[1] ?? '';
  let path = '';
  try {
    path = new URL(target, 'http://x').pathname;
  } catch {
    // Not a URL: no page answers it, so the error is JSON.
  }
  return (
    (listener.service.name === 'mailbox' && /^\/messages\/\d+$/.test(path)) ||
    (listener.service.name === 'api' && path === '/v1/unsubscribe' && !/\r\naccept: application\/json/i.test(request))
  );
};

/** What every HTTP answer must be: never a 5xx, and a 4xx with a body in the JSON error shape unless a page for people answers it. */
export function checkAnswer(listener: Listener, sent: Buffer, text: string): void {
  const request = sent.toString('latin1');
  const what = `${listener.service.name}:${listener.port} got ${JSON.stringify(request.slice(0, 200))} and answered ${JSON.stringify(text.slice(0, 300))}`;
  for (const response of responsesIn(text, request.split(' ')[0]!)) {
    expect(response.status, what).toBeLessThan(500);
    if (response.status < 400 || response.body === '') continue;
    if (pageForPeople(listener, request) && /content-type: text\/html/i.test(response.head)) continue;
    let json: any;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    expect(json?.error?.code, `${what}: not the JSON error shape`).toBeTypeOf('string');
    expect(json.error.message, what).toBeTypeOf('string');
  }
}
