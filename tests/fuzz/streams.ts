import { request } from 'node:http';
import fc from 'fast-check';
import { tokenKinds, type TokenKind } from './system.ts';

/** How a generated stream request proves who it is: a token of some kind, or a one-time ticket (fresh or already used). */
export type Credential = TokenKind | 'ticket' | 'used-ticket';
export const credential = fc.constantFrom<Credential>(...tokenKinds, 'user', 'user', 'admin', 'ticket', 'ticket', 'used-ticket');

/** A `ticket` parameter sent beside a token: never one the API issued. */
export const junkTicket = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('garbage', '', '%FF') });

/**
 * Whether the gateway must let a request stream: a fresh ticket alone, or the token of a user (or
 * of an admin, who has an inbox too) alone. A service token has no inbox; two credentials are refused.
 */
export function admitted(credential: Credential, junk: string | undefined): boolean {
  if (credential === 'ticket') return true;
  if (credential === 'used-ticket') return false;
  return junk === undefined && (credential === 'user' || credential === 'admin');
}

/** `since` values: valid, negative, huge, not a number. */
export const sinceValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(undefined, '0', '1', '3', '') },
  { weight: 2, arbitrary: fc.constantFrom('-1', '1.5', 'abc', '1e3', ' 1', '\u0000', '%00', '0x10', '999999999999999', '99999999999999999999') },
);

/** Whether `since` is one the gateway must take (`true`), must refuse (`false`), or either: a seq longer than any real one. */
export function sinceOk(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '' || /^\d{1,9}$/.test(value)) return true;
  return /^\d+$/.test(value) ? undefined : false;
}

export interface SseAnswer {
  status: number;
  contentType: string;
  /** The body of a refusal, or the first `data:` of a stream. */
  text: string;
}

/** Opens `GET /v1/sse` on `port`, reads the answer or the stream's first message, and hangs up. */
export function openSse(port: number, query: string, headers: Record<string, string>): Promise<SseAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/v1/sse${query}`, headers, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const data = res.statusCode === 200 ? /^data: (.*)$/m.exec(text)?.[1] : undefined;
        if (data !== undefined) {
          resolve({ status: 200, contentType: String(res.headers['content-type']), text: data });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', (error) => (req.destroyed && error.message !== 'no answer in 5 s' ? undefined : reject(error)));
    req.end();
  });
}
