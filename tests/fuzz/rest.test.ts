import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseFingerprint } from '@tidings/test-support';
import { SchemaValues } from './json-schema.ts';
import {
  acceptVariants,
  caseArbitrary,
  operationsOf,
  send,
  targetOf,
  type OpenApiDocument,
  type Operation,
  type RestAnswer,
  type RestCase,
} from './rest-cases.ts';
import { checkProperty, FuzzSystem, runs, sleep, tokenFor, type TokenKind } from './system.ts';

// Every operation of the API's own OpenAPI document, called by every kind of caller with valid and
// broken parts: no answer is a 5xx, every 4xx is the JSON error shape, an operation the document
// secures accepts nothing without a valid token, and a refused request leaves Postgres exactly as
// it was.

/** Generated requests, over all operations. */
const CASES = runs(2_000);

// The API alone: the worker's sweeps (releases, relays, digests) write on their own schedule, and
// a write nobody asked for would look like a write by whichever refused request was running.
let system: FuzzSystem;
let operations: Operation[];
let values: SchemaValues;
beforeAll(async () => {
  system = await FuzzSystem.start();
  const document = (await (await fetch(`${system.url('api')}/openapi.json`)).json()) as OpenApiDocument;
  operations = operationsOf(document);
  values = new SchemaValues(document.components.schemas);
});
afterAll(async () => {
  await system?.close();
});

/** Strings from earlier accepted answers (ids, cursors, addresses), so cases reach rows that exist. */
class KnownValues {
  private readonly pool: string[] = [];
  private next = 0;

  collect(value: unknown): void {
    if (typeof value === 'string') {
      if (value.length > 0 && value.length <= 255 && !this.pool.includes(value)) this.add(value);
    } else if (Array.isArray(value)) value.forEach((item) => this.collect(item));
    else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => this.collect(item));
  }

  private add(value: string): void {
    // A ring: recent values (the newest notifications) stay reachable.
    if (this.pool.length < 200) this.pool.push(value);
    else this.pool[this.next++ % 200] = value;
  }

  get = (index: number): string => this.pool[index % Math.max(1, this.pool.length)] ?? 'nothing-known-yet';
}

/** A page for people is allowed only on the unsubscribe routes, for a client that does not prefer JSON. */
function mayAnswerHtml(c: RestCase, answer: RestAnswer): boolean {
  return c.operation.endsWith(' /v1/unsubscribe') && acceptVariants[c.accept ?? '*/*'] !== true && answer.contentType.startsWith('text/html');
}

/** Whether a case carries no token the API can accept: none, a forged or expired one, or one under another scheme. */
const withoutValidToken = (c: RestCase) =>
  ['none', 'garbage', 'expired', 'alg-none', 'wrong-key'].includes(c.token) || ['Basic', 'Token', ''].includes(c.authScheme);

function expectErrorShape(c: RestCase, answer: RestAnswer, what: string): void {
  if (mayAnswerHtml(c, answer)) return;
  expect(answer.json?.error?.code, `${what}: not the JSON error shape`).toBeTypeOf('string');
  expect(answer.json.error.message, `${what}: error.message`).toBeTypeOf('string');
  expect(Object.keys(answer.json), `${what}: only "error" at the top`).toEqual(['error']);
}

it('no request gets a 5xx or an error outside the JSON shape, none gets in without a valid token, and a refused one writes nothing', async () => {
  const sql = system.database.sql;
  const known = new KnownValues();
  const statuses = new Map<string, Record<number, number>>();
  const context = {
    port: system.service('api').port,
    token: (kind: TokenKind, sub: string) => tokenFor(system.env, kind, sub),
    webhookSecret: system.env.config.EMAIL_WEBHOOK_SECRET!,
    known: known.get,
  };
  // Published marks are written in batches after the answer, by design: they are not the request's writes.
  const fingerprint = () => databaseFingerprint(sql, { notifications: ['published_at'] });
  // Accepted writes finish after the answer (published marks are batched): wait for them to land.
  const settle = async (previous: string) => {
    for (;;) {
      await sleep(25);
      const next = await fingerprint();
      if (next === previous) return next;
      previous = next;
    }
  };
  const byKey = new Map(operations.map((operation) => [`${operation.method} ${operation.template}`, operation]));
  let baseline = await fingerprint();
  // Operations with a body have the most to get wrong: they get twice the cases.
  const cases = fc.oneof(...operations.map((operation) => ({ weight: operation.body ? 2 : 1, arbitrary: caseArbitrary(values, operation) })));
  let writes = 0;
  const property = fc.asyncProperty(cases, async (c) => {
    // Once a process is gone nothing more can be learned, and the case that killed it must stay
    // the counterexample: later (shrunk) cases pass, the failure stands.
    if (!system.alive()) return;
    const answer = await send(c, context);
    const what = `${c.operation} as ${c.token} → ${targetOf(c, known.get).slice(0, 300)} answered ${answer.status} ${answer.text.slice(0, 300)}`;
    const counts = (statuses.get(c.operation) ?? statuses.set(c.operation, {}).get(c.operation))!;
    counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    expect(answer.status, what).toBeLessThan(500);
    if (byKey.get(c.operation)!.authenticated && withoutValidToken(c))
      expect(answer.status, `${what}: accepted without a valid token`).toBeGreaterThanOrEqual(400);
    if (answer.status >= 400) {
      expectErrorShape(c, answer, what);
      expect(await fingerprint(), `${what}: a refused request wrote to Postgres`).toBe(baseline);
    } else {
      known.collect(answer.json);
      const after = await fingerprint();
      if (after !== baseline) writes++;
      baseline = after === baseline ? after : await settle(after);
    }
  });
  try {
    await checkProperty('REST operations', property, CASES);
  } finally {
    console.info(`fuzz: REST: ${writes} accepted cases wrote to Postgres`);
    console.info(`fuzz: REST statuses by operation:\n${[...statuses].map(([operation, counts]) => `  ${operation}: ${JSON.stringify(counts)}`).join('\n')}`);
  }
  // Every operation of the document was called, and some cases got through to the handlers.
  expect(statuses.size).toBe(operations.length);
  const accepted = [...statuses.values()].reduce(
    (sum, counts) =>
      sum +
      Object.entries(counts)
        .filter(([status]) => Number(status) < 400)
        .reduce((n, [, count]) => n + count, 0),
    0,
  );
  expect(accepted, 'accepted cases').toBeGreaterThan(CASES / 20);
  await system.expectHealthy();
}, 600_000);
