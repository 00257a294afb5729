/**
 * Small combinators that narrow decoded JSON (`unknown`) into hand-written wire types. Each
 * `Shape<T>` checks a value and returns a fresh copy holding only the declared fields, so nothing
 * unchecked (and no `any`) leaves src/clients. Missing keys and `null` read as Go's zero values
 * (`""`, `0`, `false`, `[]`, `{}`), because HashiCorp servers omit empty fields (`omitempty`) and
 * send nil slices and maps as `null`; a present value of the wrong type is a `ShapeError`.
 */

/** A response did not have the documented shape; `detail` names the offending field. */
export class ShapeError extends Error {
  constructor(readonly detail: string) {
    super(`unexpected response shape: ${detail}`);
    this.name = 'ShapeError';
  }
}

/** Checks `value` (found at `at`, e.g. `deployment.TaskGroups.web`) and returns a typed copy. */
export type Shape<T> = (value: unknown, at: string) => T;

/** Any JSON value, for opaque parts such as a task's driver `Config`. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Unix time in nanoseconds as exact decimal digits (beyond `Number.MAX_SAFE_INTEGER`); `BigInt()` it to compute. */
export type UnixNanos = `${bigint}`;

const absent = (value: unknown): value is null | undefined => value === null || value === undefined;

function fail(at: string, what: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new ShapeError(`${at} is ${got}, expected ${what}`);
}

/** A string; missing → `""`. */
export const str: Shape<string> = (value, at) => (absent(value) ? '' : typeof value === 'string' ? value : fail(at, 'a string', value));

/**
 * A number; missing → `0`. An integer too long for a double arrives quoted (lossless-json.ts) and
 * is accepted as the nearest number; a short numeric string is still a string, hence an error.
 */
export const num: Shape<number> = (value, at) => {
  if (absent(value)) return 0;
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^-?\d{16,}$/.test(value) ? Number(value) : fail(at, 'a number', value);
};

/** A boolean; missing → `false`. */
export const bool: Shape<boolean> = (value, at) => (absent(value) ? false : typeof value === 'boolean' ? value : fail(at, 'a boolean', value));

/** Unix nanoseconds, exact, whether the literal was short (a number) or long (quoted); missing → `"0"`. */
export const unixNanos: Shape<UnixNanos> = (value, at) => {
  if (absent(value)) return '0';
  if (typeof value === 'number' && Number.isSafeInteger(value)) return `${BigInt(value)}`;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return `${BigInt(value)}`;
  return fail(at, 'an integer of unix nanoseconds', value);
};

/** An RFC 3339 time or `null`. Go's zero time (`null` today, `"0001-01-01T00:00:00Z"` in older samples) → `null`. */
export const time: Shape<string | null> = (value, at) => {
  if (absent(value) || value === '' || (typeof value === 'string' && value.startsWith('0001-01-01T00:00:00'))) return null;
  return typeof value === 'string' ? value : fail(at, 'an RFC 3339 time', value);
};

/** One of the listed strings. An unknown value fails loudly rather than being misread. */
export function oneOf<const T extends string>(values: readonly T[]): Shape<T> {
  return (value, at) => {
    const text = str(value, at);
    return (values as readonly string[]).includes(text) ? (text as T) : fail(at, `one of ${values.join('|')}`, JSON.stringify(value));
  };
}

/** `null` stays `null` (and missing becomes `null`); anything else must match `shape`. */
export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, at) => (absent(value) ? null : shape(value, at));
}

/** An array; missing or `null` → `[]`. */
export function list<T>(shape: Shape<T>): Shape<T[]> {
  return (value, at) => {
    if (absent(value)) return [];
    if (!Array.isArray(value)) return fail(at, 'an array', value);
    return value.map((item, i) => shape(item, `${at}[${i}]`));
  };
}

/** An object used as a map (`TaskGroups`, `Meta`); missing or `null` → `{}`. */
export function dict<T>(shape: Shape<T>): Shape<Record<string, T>> {
  return (value, at) => {
    const out: Record<string, T> = {};
    if (absent(value)) return out;
    for (const [key, item] of Object.entries(record(value, at))) out[key] = shape(item, `${at}.${key}`);
    return out;
  };
}

/** A map of strings, as Go's `map[string]string`. */
export const stringMap: Shape<Record<string, string>> = dict(str);

/** A list of strings, as Go's `[]string`. */
export const strings: Shape<string[]> = list(str);

/**
 * An object with exactly the declared fields (others are dropped). The field table must cover
 * every key of `T`, so the shape and the hand-written wire type cannot drift apart.
 */
export function obj<T extends object>(fields: { readonly [K in keyof T]-?: Shape<T[K]> }): Shape<T> {
  return (value, at) => {
    const source = record(value, at);
    const out: Record<string, unknown> = {};
    for (const [key, shape] of Object.entries(fields) as [string, Shape<unknown>][]) out[key] = shape(source[key], `${at}.${key}`);
    return out as T;
  };
}

/** Any JSON value, copied deeply (quoted long integers stay strings). */
export const json: Shape<JsonValue> = (value, at) => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item, i) => json(item, `${at}[${i}]`));
  if (typeof value === 'object') return dict(json)(value, at);
  return fail(at, 'JSON', value);
};

/** The value as a plain object, or a `ShapeError`. */
export function record(value: unknown, at: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(at, 'an object', value);
  return value as Readonly<Record<string, unknown>>;
}

/** Defers building a shape, for recursive types (`ObjectDiff.Objects`). */
export function lazy<T>(build: () => Shape<T>): Shape<T> {
  let shape: Shape<T> | undefined;
  return (value, at) => (shape ??= build())(value, at);
}
