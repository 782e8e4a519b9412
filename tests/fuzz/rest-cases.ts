import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { mutated, notJson, SchemaValues, type RawBody, type Schema } from './json-schema.ts';
import { nastyString, tokenKinds, type TokenKind } from './system.ts';

/** One REST operation as the API's OpenAPI document describes it. */
export interface Operation {
  method: string;
  /** `/v1/notifications/{id}` */
  template: string;
  params: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema }[];
  /** Media types of the request body and its schema, when the operation takes one. */
  body: { types: string[]; schema: Schema } | undefined;
  /** The document names a security requirement (a bearer token). */
  authenticated: boolean;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] }>
  >;
  components: { schemas: Record<string, Schema> };
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const content = operation.requestBody?.content;
      return {
        method: method.toUpperCase(),
        template,
        params: operation.parameters ?? [],
        body: content ? { types: Object.keys(content), schema: Object.values(content)[0]!.schema } : undefined,
        authenticated: (operation.security ?? []).length > 0,
      };
    }),
  );
}

/** A piece of a request that is filled in when the case runs: a value an earlier answer contained. */
export type Part = string | { known: number };

/** Everything one generated request is made of; printed as the counterexample when a property fails. */
export interface RestCase {
  operation: string;
  token: TokenKind;
  sub: string;
  authScheme: string;
  path: Part[];
  query: [Part, Part][];
  rawQuery: string;
  accept: string | undefined;
  contentType: string | undefined;
  encoding: 'none' | 'gzip' | 'deflate' | 'br' | 'gzip-plain' | 'deflate-plain' | 'br-plain' | 'identity' | 'x-unknown';
  headers: [string, Part][];
  signature: 'none' | 'garbage' | 'valid' | 'stale';
  body: RawBody | { form: Record<string, unknown> } | undefined;
}

/** Subs of the user tokens; `alice` is also the document's example id, so creates reach an inbox. */
export const users = ['alice', 'bob', 'zoë-ünïcödé'];

/** The Accept headers sent, and whether express's negotiation prefers JSON to HTML for each. */
export const acceptVariants: Record<string, boolean> = {
  'application/json': true,
  'text/html': false,
  '*/*': false,
  'text/html;q=0.1, application/json': true,
  'application/xml': false,
};

// %ZZ is no escape, %FF no UTF-8, %C0%AF an overlong '/', %ED%A0%80 a surrogate, %00 a NUL.
const badEscapes = ['%ZZ', '%FF', '%C0%AF', '%ED%A0%80', '%00', '%', '%2', '%E2%82', '%2F', '%2e%2e', '..', '%252F', 'é', '%u0041'];

/** Percent-encodes the UTF-8 of any string (a lone surrogate becomes U+FFFD, as any client would send it). */
const escape = (text: string) => encodeURIComponent(text.toWellFormed());

function valueArbitrary(values: SchemaValues, schema: Schema): fc.Arbitrary<Part> {
  const limit = values.atLimit(schema);
  return fc.oneof(
    { weight: 5, arbitrary: values.valid(schema).map((value) => escape(String(value))) },
    { weight: 2, arbitrary: fc.nat().map((index) => ({ known: index })) },
    { weight: 2, arbitrary: nastyString().map(escape) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...badEscapes), fc.stringMatching(/^[a-z0-9]{0,4}$/)).map(([bad, text]) => `${text}${bad}${text}`) },
    { weight: 1, arbitrary: limit ? limit.map((value) => escape(String(value))) : fc.constant('') },
  );
}

/** The body for an operation: valid for its schema most of the time, else broken in one way. */
function bodyArbitrary(values: SchemaValues, operation: Operation): fc.Arbitrary<RestCase['body']> {
  if (!operation.body) {
    return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json })) });
  }
  const valid = values.valid(operation.body.schema);
  const form = operation.body.types.includes('application/x-www-form-urlencoded');
  return fc.oneof(
    { weight: 6, arbitrary: valid.map((json) => ({ json })) },
    { weight: 4, arbitrary: mutated(valid) },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: fc.constant(undefined) },
    ...(form ? [{ weight: 2, arbitrary: valid.map((json) => ({ form: json as Record<string, unknown> })) }] : []),
  );
}

/** A case for one operation: the caller, each part of the request and the body. */
export function caseArbitrary(values: SchemaValues, operation: Operation): fc.Arbitrary<RestCase> {
  const pathParams = new Map(operation.params.filter((param) => param.in === 'path').map((param) => [param.name, param.schema]));
  const segments = operation.template.split('/').map((segment): fc.Arbitrary<Part> => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    return name === undefined ? fc.constant(segment) : valueArbitrary(values, pathParams.get(name)!);
  });
  const queryParams = operation.params.filter((param) => param.in === 'query');
  const documented: fc.Arbitrary<[Part, Part]> =
    queryParams.length === 0
      ? fc.constant(['limit', '1'])
      : fc.oneof(...queryParams.map((param) => valueArbitrary(values, param.schema).map((value): [Part, Part] => [param.name, value])));
  const queryPair = fc.oneof(
    { weight: 4, arbitrary: documented },
    { weight: 1, arbitrary: fc.tuple(nastyString().map(escape), nastyString().map(escape)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('token', 'since', 'limit', 'a[b]', '__proto__', 'a%ZZ'), fc.constantFrom('', '1', '-1', 'x', '%FF', '%00')),
    },
  );
  const query = fc.oneof(
    { weight: 1, arbitrary: fc.constant<[Part, Part][]>([]) },
    { weight: 1, arbitrary: fc.array(queryPair, { minLength: 1, maxLength: 3 }) },
  );
  const idempotencyKey = operation.params.find((param) => param.name === 'idempotency-key');
  const keyValue = fc.oneof(
    { weight: 3, arbitrary: idempotencyKey ? values.valid(idempotencyKey.schema).map(String) : fc.stringMatching(/^[a-z0-9-]{1,20}$/) },
    { weight: 2, arbitrary: fc.constantFrom('fuzz-replayed-key', '', ' ', 'a b', 'é', 'x'.repeat(255), 'x'.repeat(256)) },
  );
  const header = fc.oneof(
    keyValue.map((value): [string, Part] => ['idempotency-key', value]),
    // Past 16 KB of head the parser answers 431.
    fc.integer({ min: 1_000, max: 20_000 }).map((length): [string, Part] => ['x-fuzz-padding', 'p'.repeat(length)]),
    fc.constantFrom<[string, Part]>(
      ['x-forwarded-for', '::1, garbage'],
      ['if-none-match', '*'],
      ['origin', 'null'],
      ['accept-encoding', 'br;q=abc'],
      ['range', 'bytes=-1'],
    ),
  );
  const headers = fc.oneof(
    { weight: 2, arbitrary: fc.constant<[string, Part][]>([]) },
    { weight: 1, arbitrary: fc.array(header, { minLength: 1, maxLength: 2 }) },
  );
  const declared = operation.body?.types ?? ['application/json'];
  return fc.record({
    operation: fc.constant(`${operation.method} ${operation.template}`),
    token: fc.constantFrom(...tokenKinds, 'user', 'user', 'service', 'service', 'admin', 'admin'),
    sub: fc.constantFrom(...users),
    authScheme: fc.oneof(
      { weight: 4, arbitrary: fc.constant('Bearer') },
      { weight: 1, arbitrary: fc.constantFrom('bearer', 'Basic', 'Bearer  ', 'Token', '') },
    ),
    path: fc.tuple(...segments),
    query,
    rawQuery: fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('&&', '=', 'a', '%ZZ=1', 'limit=1&limit=2', '#frag', 'a[]=1&a[x]=2') },
    ),
    accept: fc.constantFrom(...Object.keys(acceptVariants), 'application/json', 'application/json', 'application/json', undefined),
    contentType: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...declared) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'APPLICATION/JSON',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'a/b/c;;',
          undefined,
        ),
      },
    ),
    encoding: fc.oneof(
      { weight: 4, arbitrary: fc.constant<RestCase['encoding']>('none') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<RestCase['encoding']>('gzip', 'deflate', 'br', 'gzip-plain', 'deflate-plain', 'br-plain', 'identity', 'x-unknown'),
      },
    ),
    headers,
    signature: operation.params.some((param) => param.name === 'x-tidings-signature')
      ? fc.constantFrom('none', 'garbage', 'valid', 'valid', 'valid', 'stale')
      : fc.constant('none'),
    body: bodyArbitrary(values, operation),
  });
}

export interface RestAnswer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function bodyBytes(body: RestCase['body']): Buffer | undefined {
  if (body === undefined) return undefined;
  if ('bytes' in body) return body.bytes;
  if ('form' in body)
    return Buffer.from(new URLSearchParams(Object.entries(body.form ?? {}).map(([key, value]): [string, string] => [key, String(value)])).toString());
  const text = JSON.stringify(body.json);
  return text === undefined ? undefined : Buffer.from(text);
}

function encode(bytes: Buffer, encoding: RestCase['encoding']): Buffer {
  if (encoding === 'gzip') return gzipSync(bytes);
  if (encoding === 'deflate') return deflateSync(bytes);
  if (encoding === 'br') return brotliCompressSync(bytes);
  return bytes;
}

export interface SendContext {
  port: number;
  token: (kind: TokenKind, sub: string) => string | undefined;
  webhookSecret: string;
  known: (index: number) => string;
}

/** The path and query a case asks for, with its `known` parts filled in. */
export function targetOf(c: RestCase, known: SendContext['known']): string {
  const fill = (part: Part) => (typeof part === 'string' ? part : escape(known(part.known)));
  const query = c.query.map(([key, value]) => `${fill(key)}=${fill(value)}`).join('&');
  const search = [query, c.rawQuery].filter(Boolean).join('&');
  return `${c.path.map(fill).join('/')}${search ? `?${search}` : ''}`;
}

/** Sends a case over a plain HTTP/1.1 connection, exactly as generated (no client normalises it). */
export function send(c: RestCase, context: SendContext): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  const token = context.token(c.token, c.sub);
  if (token !== undefined) headers.authorization = `${c.authScheme} ${token}`;
  if (c.accept !== undefined) headers.accept = c.accept;
  for (const [name, value] of c.headers) headers[name] = typeof value === 'string' ? value : context.known(value.known).replace(/[^\x20-\x7e]/g, '');
  const plain = bodyBytes(c.body);
  let bytes = plain;
  if (plain !== undefined) {
    const form = c.body !== undefined && 'form' in c.body;
    if (form || c.contentType !== undefined) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : c.contentType!;
    bytes = encode(plain, c.encoding);
    const named = c.encoding.replace('-plain', '');
    if (named !== 'none') headers['content-encoding'] = named;
    headers['content-length'] = String(bytes.length);
  }
  if (c.signature !== 'none') {
    const t = Math.floor(Date.now() / 1000) - (c.signature === 'stale' ? 1_000 : 0);
    const mac = createHmac('sha256', context.webhookSecret)
      .update(`${t}.`)
      .update(bytes ?? Buffer.alloc(0))
      .digest('hex');
    headers['x-tidings-signature'] = c.signature === 'garbage' ? 't=abc,v1=zz' : `t=${t},v1=${mac}`;
  }
  const method = c.operation.split(' ')[0]!;
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port: context.port, method, path: targetOf(c, context.known), headers, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = String(res.headers['content-type'] ?? '');
        let json: unknown;
        try {
          json = contentType.includes('json') ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', reject);
    req.end(bytes);
  });
}
