/**
 * A checker for the subset of JSON Schema (2020-12) that docs/schemas/ uses: type (one or a
 * list), const, enum, properties, required, additionalProperties (false or a schema), items,
 * and local $ref (#/$defs/…). Hand-written rather than a validator dependency: about 60 lines
 * cover every keyword those files use, and an unknown keyword fails loudly here instead of
 * being ignored, so a schema cannot silently claim more than is checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './run-cli.ts';

export type Schema = { readonly [keyword: string]: unknown };

const KNOWN = new Set(['$schema', '$id', '$defs', 'title', 'description', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', '$ref']);

/** docs/schemas/<name>.schema.json. */
export function loadSchema(name: string): Schema {
  return JSON.parse(readFileSync(join(repoRoot, 'docs/schemas', `${name}.schema.json`), 'utf8')) as Schema;
}

/** Every way `value` departs from `schema`, as `path: problem` lines; empty when it conforms. */
export function schemaErrors(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length) throw new Error(`json-schema checker: unsupported keyword(s) ${unknown.join(', ')} at ${path}`);
  if (typeof schema.$ref === 'string') return schemaErrors(value, resolveRef(root, schema.$ref), root, path);
  const errors: string[] = [];
  if (schema.type !== undefined && !typesOf(schema.type).some((t) => hasType(value, t))) return [`${path}: expected ${typesOf(schema.type).join(' or ')}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items as Schema, root, `${path}[${i}]`)));
  if (isObject(value)) errors.push(...objectErrors(value, schema, root, path));
  return errors;
}

function objectErrors(value: Record<string, unknown>, schema: Schema, root: Schema, path: string): string[] {
  const errors: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const key of (schema.required ?? []) as string[]) if (!(key in value)) errors.push(`${path}: missing ${key}`);
  for (const [key, member] of Object.entries(value)) {
    const own = properties[key];
    if (own) errors.push(...schemaErrors(member, own, root, `${path}.${key}`));
    else if (schema.additionalProperties === false) errors.push(`${path}: unexpected field ${key}`);
    else if (isObject(schema.additionalProperties)) errors.push(...schemaErrors(member, schema.additionalProperties, root, `${path}.${key}`));
  }
  return errors;
}

function resolveRef(root: Schema, ref: string): Schema {
  const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
  const target = name ? (root.$defs as Record<string, Schema> | undefined)?.[name] : undefined;
  if (!target) throw new Error(`json-schema checker: cannot resolve ${ref}`);
  return target;
}

function typesOf(type: unknown): string[] {
  return Array.isArray(type) ? (type as string[]) : [type as string];
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isObject(value);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
