import fc from 'fast-check';
import { nastyString } from './system.ts';

/** The parts of JSON Schema (as zod-openapi writes it) the generators read. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  example?: unknown;
  description?: string;
}

/** At most this many items or entries in generated arrays and maps: cases stay small and cheap to fingerprint. */
const MAX_ITEMS = 3;
/** Generated strings are short unless the schema asks for more; the limits themselves are probed by `atLimit`. */
const MAX_STRING = 24;

const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('example.com', 'example.org', 'mail.example.net'))
  .map(([local, domain]) => `${local}@${domain}`);

/**
 * Generators of values valid for the schemas of an OpenAPI document, read from the document itself:
 * objects with their required and optional keys, strings by format, pattern, enum and length,
 * numbers in range, arrays, nullables. A documented `example` is used now and then, so values meet
 * the same ids the tests use elsewhere (`alice`, `comment.created`).
 */
export class SchemaValues {
  constructor(private readonly components: Record<string, Schema>) {}

  resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = this.components[name];
    if (!target) throw new Error(`unknown schema ${schema.$ref}`);
    return this.resolve(target);
  }

  valid(input: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((alternative) => this.valid(alternative)));
    if ('const' in schema) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const base = this.byType(schema);
    if (schema.example === undefined) return base;
    return fc.oneof({ weight: 3, arbitrary: base }, { weight: 1, arbitrary: fc.constant(schema.example) });
  }

  private byType(schema: Schema): fc.Arbitrary<unknown> {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true });
      case 'string':
        return this.string(schema);
      case 'array':
        return fc.array(this.valid(schema.items ?? {}), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
        });
      case 'object':
        return this.object(schema);
      default:
        // No type: any JSON (a `data` value, say).
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  /** Strings valid for the schema that also keep the API's text rule (no NUL, no lone surrogate), which no schema spells out. */
  private string(schema: Schema): fc.Arbitrary<string> {
    return this.anyString(schema).filter((value) => value.isWellFormed() && !value.includes('\u0000'));
  }

  private anyString(schema: Schema): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0;
    const max = Math.max(min, Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING));
    if (schema.format === 'uuid') return fc.uuid({ version: 4 });
    if (schema.format === 'email') return email;
    if (schema.format === 'date-time') {
      // Now give or take a day: a past `send_at` sends at once, a future one is held (202).
      const now = Date.now();
      return fc.integer({ min: now - 86_400_000, max: now + 86_400_000 }).map((ms) => new Date(ms).toISOString());
    }
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern);
      return fc.stringMatching(pattern, { maxLength: max }).filter((value) => value.length >= min && value.length <= (schema.maxLength ?? Infinity));
    }
    return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
  }

  private object(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const properties = schema.properties ?? {};
    const names = Object.keys(properties);
    if (names.length === 0) {
      // A map (`data`, per-type preferences): keys from `propertyNames`, values from `additionalProperties`.
      const keys = schema.propertyNames ? (this.valid(schema.propertyNames) as fc.Arbitrary<string>) : fc.string({ maxLength: 12 });
      const values = typeof schema.additionalProperties === 'object' ? this.valid(schema.additionalProperties) : fc.jsonValue({ maxDepth: 2 });
      return fc.dictionary(keys, values, { maxKeys: MAX_ITEMS });
    }
    // A rule JSON Schema cannot say, said in the description ("exactly one of the three"): one key, picked.
    if (/exactly one/i.test(schema.description ?? ''))
      return fc.oneof(...names.map((name) => this.valid(properties[name]!).map((value) => ({ [name]: value }))));
    const shape = Object.fromEntries(names.map((name) => [name, this.valid(properties[name]!)]));
    return fc.record(shape, { requiredKeys: schema.required ?? [] });
  }

  /**
   * A string exactly at, or one past, a schema's length limit (`maxLength` 200 → 200 or 201
   * characters): the off-by-one cases random lengths rarely hit.
   */
  atLimit(input: Schema): fc.Arbitrary<unknown> | undefined {
    const schema = this.resolve(input);
    const max = schema.maxLength;
    if (schema.type !== 'string' || max === undefined) return undefined;
    return fc.tuple(fc.constantFrom(max, max + 1), fc.constantFrom('a', 'é', '\ud83d\ude00')).map(([length, unit]) => unit.repeat(length));
  }
}

/** Every place inside a JSON value: a path of keys and indexes, the root first. */
function pathsOf(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
  return out;
}

/** A deep copy of `value` with `edit` applied to the container and key at `path` (or to the root). */
function editAt(value: unknown, path: (string | number)[], edit: (parent: any, key: string | number) => void): unknown {
  const root = { value: structuredClone(value) };
  let parent: any = root;
  let key: string | number = 'value';
  for (const step of path) {
    parent = parent[key];
    key = step;
  }
  edit(parent, key);
  return root.value;
}

/** Values of every JSON type but also the ones parsers trip on. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, '', [], {}, '0', 'null', 'true'),
  nastyString(),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

/** Key names that mean something to JavaScript, or break the text rule. */
const oddKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a\u0000b', '\ud800', 'type', 'to', 'id'), nastyString());

/** A body: a value sent as JSON, or bytes as they are. */
export type RawBody = { json: unknown } | { bytes: Buffer };

/**
 * A valid value made invalid in one place: a wrong type, a key removed or added, NUL or a lone
 * surrogate in a string or a key, a huge string, nesting far past the limit. `small` ones stay
 * within a few kilobytes (no huge strings, nesting up to 2,000 levels).
 */
export function mutated(valid: fc.Arbitrary<unknown>, options: { small?: boolean } = {}): fc.Arbitrary<RawBody> {
  const at = fc.tuple(valid, fc.nat());
  const pick = ([value, index]: [unknown, number]) => {
    const paths = pathsOf(value);
    return { value, path: paths[index % paths.length]! };
  };
  const replaced = fc.tuple(at, junk).map(([target, replacement]) => {
    const { value, path } = pick(target);
    return { json: editAt(value, path, (parent, key) => (parent[key] = replacement)) };
  });
  const removed = at.map((target) => {
    const { value, path } = pick(target);
    return { json: editAt(value, path, (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key])) };
  });
  const added = fc.tuple(at, oddKey, junk).map(([target, name, extra]) => {
    const { value, path } = pick(target);
    return {
      json: editAt(value, path, (parent, key) => {
        const container = parent[key];
        if (container !== null && typeof container === 'object' && !Array.isArray(container))
          Object.defineProperty(container, name, { value: extra, enumerable: true, configurable: true, writable: true });
        else parent[key] = { [name]: extra };
      }),
    };
  });
  const poisoned = fc.tuple(at, fc.constantFrom('\u0000', '\ud800', '\udc00x', 'a\u0000', '\u0000\ud800')).map(([target, poison]) => {
    const { value, path } = pick(target);
    return { json: editAt(value, path, (parent, key) => (parent[key] = typeof parent[key] === 'string' ? `${parent[key]}${poison}` : poison)) };
  });
  const huge = fc.tuple(at, fc.integer({ min: 5_000, max: 600_000 })).map(([target, length]) => {
    const { value, path } = pick(target);
    return { json: editAt(value, path, (parent, key) => (parent[key] = 'x'.repeat(length))) };
  });
  // Nesting is written as text: a value 10,000 levels deep is easier to send than to build.
  const deep = fc.tuple(valid, fc.integer({ min: 30, max: options.small ? 2_000 : 20_000 }), fc.constantFrom('[', '{"a":')).map(([value, depth, open]) => {
    const close = open === '[' ? ']' : '}';
    const text = JSON.stringify(value ?? {});
    const nested = `${open.repeat(depth)}0${close.repeat(depth)}`;
    return { bytes: Buffer.from(text.startsWith('{') && text.length > 2 ? `{"deep":${nested},${text.slice(1)}` : nested) };
  });
  return options.small ? fc.oneof(replaced, removed, added, poisoned, deep) : fc.oneof(replaced, removed, added, poisoned, huge, deep);
}

/** Bytes that are not the JSON they claim to be. */
export const notJson: fc.Arbitrary<RawBody> = fc.oneof(
  fc
    .constantFrom(
      '',
      '{',
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      'null',
      '[]',
      '"text"',
      '12',
      'NaN',
      '{"a":1}{"b":2}',
      '{"a":1} trailing',
      '\ufeff{}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"__proto__":{"admin":true}}',
    )
    .map((text) => ({ bytes: Buffer.from(text) })),
  fc.string({ unit: 'binary', maxLength: 64 }).map((text) => ({ bytes: Buffer.from(text) })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes: Buffer.from(bytes) })),
);
