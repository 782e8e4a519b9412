declare const checks: unique symbol;

/**
 * Checks that a value is a `T`: answers where and why it is not (`items.0.seq: expected an
 * integer ≥ 1`), or undefined when it is. The protocol's zod schemas stay the source of truth on
 * the server; the SDK checks what it receives with these small guards instead, because zod alone
 * is several times the size of the whole SDK in a browser bundle. Each guard is typed against the
 * type the schema infers, so a guard that no longer fits its schema's type fails to compile.
 */
export type Guard<T> = ((value: unknown, path: string) => string | undefined) & { readonly [checks]?: T };

const at = (path: string, expected: string) => `${path || 'value'}: expected ${expected}`;
const child = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** Any value at all (the free-form parts: `data`, error `details`). */
export const anything: Guard<unknown> = () => undefined;

export const string: Guard<string> = (value, path) => (typeof value === 'string' ? undefined : at(path, 'a string'));

export const boolean: Guard<boolean> = (value, path) => (typeof value === 'boolean' ? undefined : at(path, 'a boolean'));

/** A safe integer of at least `min`. */
export const integer =
  (min: number): Guard<number> =>
  (value, path) =>
    Number.isSafeInteger(value) && (value as number) >= min ? undefined : at(path, `an integer ≥ ${min}`);

/** A string that matches `pattern`, described as `what` in the problem. */
export const matching =
  (pattern: RegExp, what: string): Guard<string> =>
  (value, path) =>
    typeof value === 'string' && pattern.test(value) ? undefined : at(path, what);

/** One of `values`. */
export const oneOf =
  <const T extends string>(values: readonly T[]): Guard<T> =>
  (value, path) =>
    values.includes(value as T) ? undefined : at(path, `one of ${values.join(', ')}`);

export const nullable =
  <T>(guard: Guard<T>): Guard<T | null> =>
  (value, path) =>
    value === null ? undefined : guard(value, path);

export const optional =
  <T>(guard: Guard<T>): Guard<T | undefined> =>
  (value, path) =>
    value === undefined ? undefined : guard(value, path);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An array of at most `max` items, each a `T`. */
export const arrayOf =
  <T>(guard: Guard<T>, max = Infinity): Guard<T[]> =>
  (value, path) => {
    if (!Array.isArray(value) || value.length > max) return at(path, max === Infinity ? 'an array' : `an array of at most ${max}`);
    for (let i = 0; i < value.length; i++) {
      const problem = guard(value[i], child(path, i));
      if (problem) return problem;
    }
    return undefined;
  };

/** An object whose every value is a `T`. */
export const recordOf =
  <T>(guard: Guard<T>): Guard<Record<string, T>> =>
  (value, path) => {
    if (!isObject(value)) return at(path, 'an object');
    for (const key of Object.keys(value)) {
      const problem = guard(value[key], child(path, key));
      if (problem) return problem;
    }
    return undefined;
  };

/** An object with these fields (others are allowed, as the server may add fields). */
export const object =
  <T>(shape: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> =>
  (value, path) => {
    if (!isObject(value)) return at(path, 'an object');
    for (const key of Object.keys(shape) as Array<keyof T & string>) {
      const problem = shape[key](value[key], child(path, key));
      if (problem) return problem;
    }
    return undefined;
  };

/** One of several object shapes, picked by the string in their `key` field (a discriminated union). */
export const union =
  <T>(key: string, guards: Record<string, Guard<T>>): Guard<T> =>
  (value, path) => {
    const tag = (value as Record<string, unknown> | null)?.[key];
    const guard = typeof tag === 'string' && Object.hasOwn(guards, tag) ? guards[tag] : undefined;
    return guard ? guard(value, path) : at(child(path, key), `one of ${Object.keys(guards).join(', ')}`);
  };

/** Whether `value` is a `T`. */
export const fits = <T>(guard: Guard<T>, value: unknown): value is T => guard(value, '') === undefined;

/** The protocol's `uuidSchema` (zod's `z.uuid()`: RFC 9562 versions and variant, plus the nil and max UUIDs). */
export const uuid = matching(
  /^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i,
  'a UUID',
);
