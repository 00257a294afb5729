import { formatFilePosition, type Diagnostic } from '../validate/diagnostic.ts';
import type { Style } from './style.ts';

/**
 * Formats diagnostics the way a reviewer reads them:
 *   ✖ jobs/api.ts › groups[0].services[0].port  [fabio/unique-route]
 *       Route /api is also defined by job "www" (jobs/www.ts)
 *     → Give each route its own host or path.
 * with `jobs/api.ts:31:9` in place of the file when the source position is known.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], style: Style): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    const mark = d.severity === 'error' ? style.red('✖') : style.yellow('⚠');
    const file = formatFilePosition(d.location);
    const where = d.location.path ? `${file} › ${d.location.path}` : file;
    lines.push(`${mark} ${style.bold(where)}  ${style.dim(`[${d.rule}]`)}`, `    ${d.message}`, `  → ${d.hint}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** One-line tally: "2 errors, 1 warning". */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
