import type { Diagnostic } from './diagnostic.ts';

/**
 * Maps a diagnostic about a key onto its place in the source: the rules see the built object,
 * not the file, but a key name written once in its file (`minHealthyTim:`) can only be there.
 * Pure; the caller reads the files.
 */

/** 1-based line and column of `key:` (bare or quoted) in `source` when it occurs exactly once, else undefined. */
export function findKeyPosition(source: string, key: string): { line: number; column: number } | undefined {
  const name = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[^\\w$.])(${name}|'${name}'|"${name}")\\s*:(?!:)`, 'g');
  const hits = [...codeOnly(source).matchAll(pattern)];
  if (hits.length !== 1) return undefined;
  const hit = hits[0] as RegExpMatchArray;
  const offset = (hit.index ?? 0) + (hit[1]?.length ?? 0);
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The last key of a location path: `groups[0].update.minHealthyTim` → `minHealthyTim`, `ports["my-port"]` → `my-port`. */
export function lastKey(path: string): string | undefined {
  const quoted = /\["((?:[^"\\]|\\.)*)"\]$/.exec(path);
  if (quoted) return JSON.parse(`"${quoted[1]}"`) as string;
  const bare = /(?:^|\.)([A-Za-z_$][\w$]*)$/.exec(path);
  return bare?.[1];
}

/** `diagnostics` with line and column added where their key can be found in their file (`rules` only). */
export function withKeyPositions(diagnostics: readonly Diagnostic[], rules: readonly string[], readSource: (file: string) => string | undefined): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!rules.includes(d.rule) || d.location.line !== undefined) return d;
    const key = lastKey(d.location.path);
    const source = key === undefined ? undefined : readSource(d.location.file);
    const position = key === undefined || source === undefined ? undefined : findKeyPosition(source, key);
    return position ? { ...d, location: { ...d.location, ...position } } : d;
  });
}

/**
 * `source` with comments and the text of strings blanked out (same length, so offsets still
 * match), except strings that are keys (`'drover.x': …`).
 */
function codeOnly(source: string): string {
  const pattern = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
  return source.replace(pattern, (match, offset: number) => {
    if (!match.startsWith('/') && /^\s*:/.test(source.slice(offset + match.length))) return match;
    return match.replace(/[^\n]/g, ' ');
  });
}
