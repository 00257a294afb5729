/**
 * Where a module failed to load, and the lines around it, the way compilers show it:
 *
 *     12 |   description: 'Shop backend (REST under /api).',
 *   > 13 |   owner: 'team-shop',,
 *        |                      ^
 *     14 |   dependsOn: env.is('dev') ? [] : ['postgres'],
 *
 * Pure: the caller reads the source.
 */

/** A position reported by esbuild (through tsx) for a file that does not parse. */
export interface SyntaxErrorPosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based (esbuild counts from 0; converted here). */
  readonly column: number;
  readonly text: string;
}

/**
 * The first located error of an esbuild/tsx transform failure: its `errors[0].location` when the
 * error object still has it, else parsed from the message (`<file>:<line>:<col>: ERROR: <text>`),
 * which is all that survives when the loader runs in another thread. Undefined for other errors.
 */
export function syntaxErrorPosition(error: unknown): SyntaxErrorPosition | undefined {
  const first = (error as { errors?: { text?: unknown; location?: { file?: unknown; line?: unknown; column?: unknown } | null }[] } | null)?.errors?.[0];
  const location = first?.location;
  if (location && typeof location.file === 'string' && typeof location.line === 'number' && typeof location.column === 'number') {
    return { file: location.file, line: location.line, column: location.column + 1, text: String(first?.text ?? '') };
  }
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const found = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (!found) return undefined;
  const [, file = '', line = '0', column = '0', text = ''] = found;
  return { file, line: Number(line), column: Number(column) + 1, text };
}

/** Lines `line - context … line + context` of `source`, numbered, with a caret under `column`. */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const gutter = `${n === line ? '>' : ' '} ${String(n).padStart(width)} |`;
    const text = lines[n - 1] ?? '';
    out.push(text ? `${gutter} ${text}` : gutter);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}
