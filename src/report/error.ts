import { DroverError, ValidationError } from '../errors.ts';
import { formatDiagnostics } from './diagnostics.ts';
import type { Style } from './style.ts';

/**
 * Subject, context, remedy:
 *   ✖ Failed to register job "api" in qa
 *       cause   Nomad 500: …
 *     → Run `drover plan qa --job api` and retry.
 */
export function formatError(error: unknown, style: Style): string {
  if (!(error instanceof DroverError)) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return `${style.red('✖')} drover failed unexpectedly (a bug): ${text}\n  → Please report it with the command you ran.\n`;
  }
  const prefix = error instanceof ValidationError ? formatDiagnostics(error.diagnostics, style) : '';
  const lines = [`${style.red('✖')} ${error.message}`];
  const width = Math.max(0, ...Object.keys(error.context).map((k) => k.length));
  for (const [key, value] of Object.entries(error.context)) lines.push(`    ${key.padEnd(width)}  ${value}`);
  if (error.hint) lines.push(`  → ${error.hint}`);
  return `${prefix}${lines.join('\n')}\n`;
}
