/**
 * A small TOML printer for generated configs (Vector's), written here rather than taken from a
 * library because the output is committed and reviewed: multi-line strings (VRL programs) are
 * printed as TOML literal strings, line by line, where a general serializer writes one escaped
 * line. Tables are printed in insertion order, so the same object gives the same bytes.
 * test/unit/render/toml.test.ts parses the output with smol-toml and expects the object back.
 */

/** What the printer accepts: TOML's scalars, arrays of scalars, and nested tables. */
export type TomlValue = string | number | boolean | readonly (string | number | boolean)[] | TomlTable;
export interface TomlTable {
  readonly [key: string]: TomlValue | undefined;
}

/** Prints `table` as a TOML document; keys whose value is `undefined` are left out. */
export function printToml(table: TomlTable): string {
  return printTable(table, []).join('\n').replace(/\n{3,}/g, '\n\n').trimStart();
}

function printTable(table: TomlTable, path: readonly string[]): string[] {
  const entries = Object.entries(table).filter((e): e is [string, TomlValue] => e[1] !== undefined);
  const values = entries.filter((e): e is [string, Exclude<TomlValue, TomlTable>] => !isTable(e[1]));
  const tables = entries.filter((e): e is [string, TomlTable] => isTable(e[1]));
  const lines: string[] = [];
  if (path.length > 0 && (values.length > 0 || tables.length === 0)) lines.push('', `[${path.map(printKey).join('.')}]`);
  for (const [key, value] of values) lines.push(`${printKey(key)} = ${printValue(value)}`);
  for (const [key, sub] of tables) lines.push(...printTable(sub, [...path, key]));
  return lines;
}

function isTable(value: TomlValue): value is TomlTable {
  return typeof value === 'object' && !Array.isArray(value);
}

function printKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function printValue(value: Exclude<TomlValue, TomlTable>): string {
  if (Array.isArray(value)) return `[${value.map((v) => printValue(v)).join(', ')}]`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`TOML cannot hold ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return printString(value as string);
}

/**
 * A string with line breaks becomes a multi-line literal string (no escapes, so a VRL regex
 * reads as written) when it can be one; anything else a basic string, whose escapes are JSON's.
 */
function printString(value: string): string {
  const literalSafe = value.includes('\n') && !value.includes("'''") && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value) && !value.endsWith("'");
  // JSON's escapes are TOML's, except that TOML also wants DEL escaped.
  return literalSafe ? `'''\n${value}'''` : JSON.stringify(value).replace(/\u007f/g, '\\u007f');
}
