/**
 * How `drover cluster check` shows its results: a line per point with its fix under it, then a
 * summary (text), or one JSON document (`--output json`, schema drover.cluster-check/v1). Pure.
 */
import { OUTPUT_SCHEMAS } from '../report/documents.ts';
import type { Style } from '../report/style.ts';
import type { CheckResult, CheckStatus } from './result.ts';

const MARK: Readonly<Record<CheckStatus, string>> = { pass: '✔', fail: '✖', warn: '!', skipped: '-', unreachable: '✖', denied: '✖' };

/** One point: mark, title, what was found; the fix on the next line for anything but a pass. */
export function formatCheckResult(result: CheckResult, style: Style): string {
  const color = result.status === 'pass' ? style.green : result.status === 'warn' || result.status === 'skipped' ? style.yellow : style.red;
  const label = result.status === 'pass' ? '' : ` [${result.status}]`;
  const line = `${color(MARK[result.status])} ${result.title}${label}: ${result.detail}\n`;
  return result.status !== 'pass' && result.fix ? `${line}    ${style.dim('→')} ${result.fix}\n` : line;
}

/** Counts per status, in a fixed order. */
export function countByStatus(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skipped: 0, unreachable: 0, denied: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/** The closing line: how many passed, failed, and what the exit code means. */
export function formatCheckSummary(env: string, results: readonly CheckResult[], exitCode: number, style: Style): string {
  const counts = countByStatus(results);
  const parts = (Object.entries(counts) as [CheckStatus, number][]).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status === 'pass' ? 'passed' : status === 'fail' ? 'failed' : status}`);
  const verdict = exitCode === 0 ? style.green('✔') : style.red('✖');
  const why = exitCode === 69 ? ' (a service could not be reached)' : exitCode === 77 ? ' (a token was refused)' : '';
  return `${verdict} cluster check ${env}: ${parts.join(', ')}; exit ${exitCode}${why}\n`;
}

/** `--output json`. */
export function clusterCheckDocument(env: string, results: readonly CheckResult[], exitCode: number): string {
  return `${JSON.stringify({ schema: OUTPUT_SCHEMAS['cluster-check'], env, ok: exitCode === 0, exitCode, counts: countByStatus(results), results }, null, 2)}\n`;
}
