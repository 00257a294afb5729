/** JSON type names as the contract tests compare them. */
export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/**
 * Collects `path → JSON types` for every field of `value`. Array elements share the path `[]`;
 * below any key in `opaque` (user-keyed maps such as Meta, Env, driver Config) nothing is collected.
 */
export function collectShape(value: unknown, opaque: ReadonlySet<string>, path = '', into = new Map<string, Set<JsonType>>()): Map<string, Set<JsonType>> {
  if (Array.isArray(value)) {
    for (const item of value) collectShape(item, opaque, `${path}[]`, into);
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  for (const [key, member] of Object.entries(value)) {
    const memberPath = path ? `${path}.${key}` : key;
    const types = into.get(memberPath) ?? new Set<JsonType>();
    types.add(jsonType(member));
    into.set(memberPath, types);
    if (!opaque.has(key)) collectShape(member, opaque, memberPath, into);
  }
  return into;
}
