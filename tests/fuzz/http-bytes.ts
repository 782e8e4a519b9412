import fc from 'fast-check';

// Bytes no HTTP client sends: request lines, headers, line endings and bodies broken in a place or
// two, cut off anywhere, or no request at all.

const token = fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/);
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH') },
  { weight: 1, arbitrary: fc.constantFrom('get', 'CONNECT', 'TRACE', 'PRI', 'M-SEARCH', '', 'G ET', 'GET\u0000') },
  { weight: 1, arbitrary: token },
);
const routes = [
  '/',
  '/healthz',
  '/readyz',
  '/metrics',
  '/stats',
  '/v1/ws',
  '/v1/sse',
  '/v1/notifications',
  '/v1/recipients/x',
  '/v1/unsubscribe',
  '/openapi.json',
  '/api/messages',
  '/messages/1',
  '/messages/999999',
];
const target = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...routes) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '//[',
      'http://[::',
      'http://[::/v1/sse',
      '*',
      'example.com:443',
      'http://x/healthz',
      '/%ZZ',
      '/%FF%C0%AF',
      '/v1/recipients/%ED%A0%80',
      '/?%00=1',
      '/\u00e9',
      '',
      '?',
      '/#x',
      '/..%2f..%2f',
      '/healthz?since=-1&token=%',
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...routes), fc.string({ unit: 'binary-ascii', maxLength: 16 })).map(([route, tail]) => `${route}${tail}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 30_000 }).map((length) => `/${'a'.repeat(length)}`) },
);
const version = fc.oneof(
  { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.x', 'HTTP/9.9', 'http/1.1', 'HTTP/1.1 extra', '') },
);
const headerLine = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      'Accept: application/json',
      'Accept: text/html',
      'Connection: close',
      'Connection: keep-alive',
      'Content-Type: application/json',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Expect: 100-continue',
      'Last-Event-ID: x',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'Content-Length: 5',
      'Content-Length: -1',
      'Content-Length: 1, 2',
      'Content-Length: 99999999999999999999',
      'Transfer-Encoding: chunked',
      'Transfer-Encoding: gzip, chunked',
      'Transfer-Encoding: chunked, identity',
      'Content-Encoding: gzip',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'Host x',
      ': empty-name',
      'Bad Name: x',
      'X-Fold: a\r\n  folded',
      'X-Nul: a\u0000b',
      'X-Ctl: \u0001\u007f',
      'X-High: \u00ff\u00fe',
      'Host: a\rb',
      ' Leading: space',
    ),
  },
  { weight: 1, arbitrary: fc.tuple(token, fc.string({ unit: 'binary-ascii', maxLength: 20 })).map(([name, value]) => `${name}: ${value}`) },
  { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 40_000 }).map((length) => `X-Big: ${'b'.repeat(length)}`) },
);
const body = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{"a":1}', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nhello\r\n', '0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 'hello'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 64 }) },
);

/** One generated request (mostly well-formed, broken in a place or two): its pieces, the line ending joining them, and where (if anywhere) it is cut off. */
const request = fc
  .record({
    method,
    target,
    version,
    host: fc.oneof({ weight: 4, arbitrary: fc.constant(['Host: x']) }, { weight: 1, arbitrary: fc.constant([]) }),
    headers: fc.array(headerLine, { maxLength: 4 }),
    eol: fc.oneof({ weight: 8, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\n\r', '\r\r\n') }),
    body,
    cut: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  })
  .map(({ method, target, version, host, headers, eol, body, cut }) => {
    const text = `${[`${method} ${target} ${version}`.trimEnd(), ...host, ...headers].join(eol)}${eol}${eol}${body}`;
    // Latin-1 keeps each generated code unit one byte (NUL, CR without LF, bytes above 0x7f).
    const bytes = Buffer.from(text, 'latin1');
    return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });
const garbage = fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes));
/** Bytes for an HTTP port: mostly a generated request, sometimes plain garbage. */
export const httpBytes = fc.oneof({ weight: 5, arbitrary: request }, { weight: 1, arbitrary: garbage });
