/**
 * A runtime description of which keys an object may have, so that validation can report keys
 * TypeScript never saw (a job built by a callback escapes the excess-property check, and plain
 * JavaScript has none). The tables in `job-keys.ts` and `environment-keys.ts` are checked against
 * the model's interfaces with `satisfies Record<keyof X, KeyShape>`, so they cannot drift.
 */
export type KeyShape =
  /** A value whose keys are not drover's to check: scalars, user maps (`meta`, `env`), pass-through (`extra`). */
  | { readonly kind: 'leaf' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, KeyShape>> }
  | { readonly kind: 'array'; readonly of: KeyShape }
  /** A map with user-chosen keys whose values have a shape (`ports`, `volumes`). */
  | { readonly kind: 'record'; readonly of: KeyShape }
  /**
   * A discriminated union: `variants[value[discriminant]]` (or `fallback` when the discriminant is
   * absent). An unknown discriminant is another rule's problem; keys are then checked against
   * every variant at once so that typos are still found.
   */
  | { readonly kind: 'union'; readonly discriminant: string; readonly fallback?: string; readonly variants: Readonly<Record<string, Readonly<Record<string, KeyShape>>>> };

export const leaf: KeyShape = { kind: 'leaf' };
export const object = (fields: Readonly<Record<string, KeyShape>>): KeyShape => ({ kind: 'object', fields });
export const arrayOf = (of: KeyShape): KeyShape => ({ kind: 'array', of });
export const recordOf = (of: KeyShape): KeyShape => ({ kind: 'record', of });

/** Every key of every member of a union (`keyof` of a union keeps only the shared ones). */
export type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** A key found where its object does not declare it. */
export interface UnknownKey {
  /** Path of the key, e.g. `groups[0].update.minHealthyTim`. */
  readonly path: string;
  readonly key: string;
  /** Keys the object may have, for "did you mean". */
  readonly known: readonly string[];
}

/** Every unknown key in `value` under `shape`, depth first in key order. Tolerant of any input. */
export function findUnknownKeys(value: unknown, shape: KeyShape, path = ''): UnknownKey[] {
  switch (shape.kind) {
    case 'leaf':
      return [];
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => findUnknownKeys(item, shape.of, `${path}[${i}]`)) : [];
    case 'record':
      return isPlainObject(value) ? Object.entries(value).flatMap(([key, item]) => findUnknownKeys(item, shape.of, join(path, key))) : [];
    case 'object':
      return isPlainObject(value) ? checkFields(value, shape.fields, path) : [];
    case 'union':
      return isPlainObject(value) ? checkFields(value, variantFields(value, shape), path) : [];
  }
}

function checkFields(value: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, KeyShape>>, path: string): UnknownKey[] {
  return Object.entries(value).flatMap(([key, item]) => {
    const child = Object.hasOwn(fields, key) ? fields[key] : undefined;
    // A key set to undefined (`constraints: env.is('dev') ? [...] : undefined`) is still a key written in the source.
    if (!child) return [{ path: join(path, key), key, known: Object.keys(fields) }];
    return findUnknownKeys(item, child, join(path, key));
  });
}

function variantFields(value: Readonly<Record<string, unknown>>, shape: Extract<KeyShape, { kind: 'union' }>): Readonly<Record<string, KeyShape>> {
  const tag = value[shape.discriminant] ?? shape.fallback;
  if (typeof tag === 'string' && Object.hasOwn(shape.variants, tag)) return shape.variants[tag] as Readonly<Record<string, KeyShape>>;
  return Object.assign({}, ...Object.values(shape.variants)) as Record<string, KeyShape>;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (segment !== key) return `${path}[${segment}]`;
  return path ? `${path}.${key}` : key;
}
