/**
 * Recursive JSON shape comparison for the Nomad contract test: field paths with their JSON types.
 * Members of user-keyed maps (task groups of a deployment, task states, …) share the path `*`;
 * below opaque keys (Meta, Env, Config, …) nothing is compared.
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** Observed types per path, and whether every observed value was a zero value. */
export interface Shape {
  readonly types: Map<string, Set<JsonType>>;
  readonly zero: Map<string, boolean>;
}

/** How to walk a document. */
export interface ShapeOptions {
  /** Keys whose object value is a map with user-chosen keys. */
  readonly maps: ReadonlySet<string>;
  /** Keys below which nothing is compared. */
  readonly opaque: ReadonlySet<string>;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** Go's zero values as they appear in JSON (docs also show the zero time as a string). */
function isZero(value: unknown): boolean {
  if (value === null || value === '' || value === 0 || value === false || value === '0001-01-01T00:00:00Z') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

/** Collects the shape of `value`. */
export function shapeOf(value: unknown, options: ShapeOptions): Shape {
  const shape: Shape = { types: new Map(), zero: new Map() };
  walk(value, '', false, options, shape);
  return shape;
}

function walk(value: unknown, path: string, isMap: boolean, options: ShapeOptions, shape: Shape): void {
  if (Array.isArray(value)) {
    for (const item of value) record(item, `${path}[]`, false, options, shape);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, member] of Object.entries(value)) {
    const memberPath = isMap ? `${path}.*` : path ? `${path}.${key}` : key;
    record(member, memberPath, !isMap && options.maps.has(key), options, shape, !isMap && options.opaque.has(key));
  }
}

function record(value: unknown, path: string, isMap: boolean, options: ShapeOptions, shape: Shape, opaque = false): void {
  const types = shape.types.get(path) ?? new Set<JsonType>();
  types.add(typeOf(value));
  shape.types.set(path, types);
  shape.zero.set(path, (shape.zero.get(path) ?? true) && isZero(value));
  if (!opaque) walk(value, path, isMap, options, shape);
}

/** Allowed differences, each documented at its use. */
export interface Allowances {
  /** Paths the sandbox may leave out. */
  readonly missing?: readonly string[];
  /** Paths the sandbox may add. */
  readonly extra?: readonly string[];
  /** Prefixes of omitempty-encoded objects ('' = the root): zero-valued example fields may be absent. */
  readonly omitempty?: readonly string[];
  /** Paths where the example's JSON type is a documentation placeholder. */
  readonly types?: readonly string[];
}

/**
 * Lists every difference: `missing <path>` (in the example, not in the sandbox), `extra <path>`
 * (the reverse) and `type <path>` (no common JSON type; null is compatible with anything, as Nomad
 * encodes nil slices, maps and pointers as null). Children are compared only where both sides
 * show content for the parent.
 */
export function compareShapes(example: Shape, actual: Shape, allow: Allowances = {}): string[] {
  const problems: string[] = [];
  for (const [path, types] of example.types) {
    const other = actual.types.get(path);
    if (!other) {
      if (!hasContent(actual, parentOf(path)) || matches(allow.missing, path)) continue;
      if (isOmitted(path, example, allow.omitempty)) continue;
      problems.push(`missing ${path}`);
    } else if (!types.has('null') && !other.has('null') && ![...types].some((t) => other.has(t)) && !matches(allow.types, path)) {
      problems.push(`type ${path}: example ${[...types].join('|')}, sandbox ${[...other].join('|')}`);
    }
  }
  for (const path of actual.types.keys()) {
    if (example.types.has(path) || !hasContent(example, parentOf(path)) || matches(allow.extra, path)) continue;
    problems.push(`extra ${path}`);
  }
  return problems;
}

function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.endsWith('[]') ? path.length - 2 : -1);
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** Does the document show members under `parent` (so missing children are meaningful)? */
function hasContent(shape: Shape, parent: string): boolean {
  if (parent === '') return true;
  for (const path of shape.types.keys()) if (path.startsWith(`${parent}.`) || path.startsWith(`${parent}[]`)) return true;
  return false;
}

function isOmitted(path: string, example: Shape, prefixes: readonly string[] | undefined): boolean {
  const owner = parentOf(path);
  return (prefixes ?? []).includes(owner) && example.zero.get(path) === true;
}

function matches(patterns: readonly string[] | undefined, path: string): boolean {
  return (patterns ?? []).some((p) => p === path || (p.endsWith('.') && path.startsWith(p)));
}
