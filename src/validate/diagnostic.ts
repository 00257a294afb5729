/** Where a problem is: the file and the path inside the object it defines. */
export interface Location {
  /** Project-relative file, e.g. `jobs/api.ts`. */
  readonly file: string;
  /** Path inside the definition, e.g. `groups[0].services[1].port`; empty for the whole file. */
  readonly path: string;
  /** 1-based line in `file`, when the source could be mapped (type errors, syntax errors, unknown keys). */
  readonly line?: number;
  /** 1-based column in `file`; only with `line`. */
  readonly column?: number;
}

/** `file:line:col`, `file:line` or `file`: how editors and terminals link to a place. */
export function formatFilePosition(location: Location): string {
  if (location.line === undefined) return location.file;
  return location.column === undefined ? `${location.file}:${location.line}` : `${location.file}:${location.line}:${location.column}`;
}

export interface Diagnostic {
  /** Rule identifier, e.g. `fabio/unique-route`. */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location: Location;
  /** What to change. */
  readonly hint: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Appends `.key` or `[index]` to a location path. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Stable order for output and tests: file, path, rule. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.location.file}\u0000${d.location.path}\u0000${d.rule}\u0000${d.message}`;
  return [...diagnostics].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
