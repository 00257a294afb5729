/**
 * After a failed rollout: the last lines the failing task wrote on stderr, next to the task event
 * that explains the failure, so "Exit Code: 1" comes with what the program said before exiting.
 * Bounded (`lines`, and `MAX_LINE_CHARS` per line) and redacted like every other output; reading
 * them never changes the outcome (a refusal or a timeout becomes a note in the event).
 */
import { ApiError } from '../clients/api-error.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import { boundLine } from '../logs/lines.ts';
import { readTail } from '../logs/tail.ts';
import type { Report } from '../report/events.ts';

/** `--logs-on-failure N` of deploy, promote and rollback. */
export interface FailureLogsOptions {
  /** Lines of stderr to show; 0 disables. */
  readonly lines: number;
  /** Token values that must never be printed. */
  readonly secrets: readonly string[];
  /** The namespace, for the policy line a refusal needs. */
  readonly namespace?: string;
}

/** Longest line shown; the rest is counted. */
export const MAX_LINE_CHARS = 300;
/** Reading the logs may not hold the deploy's result up for longer. */
const READ_TIMEOUT_MS = 10_000;

/** Reads and reports (`allocation-logs`) the last stderr lines of one allocation's task. */
export async function reportFailureLogs(
  target: { readonly job: string; readonly allocId: string; readonly allocName: string; readonly task: string },
  deps: { readonly nomad: Pick<NomadClient, 'allocations'>; readonly report: Report; readonly signal: AbortSignal; readonly options: FailureLogsOptions },
): Promise<void> {
  const { options } = deps;
  if (options.lines <= 0) return;
  const base = { type: 'allocation-logs' as const, job: target.job, allocId: target.allocId, allocName: target.allocName, task: target.task, stream: 'stderr' as const };
  const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(READ_TIMEOUT_MS)]);
  try {
    const tail = await readTail(deps.nomad, { allocId: target.allocId, task: target.task, type: 'stderr' }, options.lines, signal);
    const lines = tail.lines.map((l) => boundLine(l, options.secrets, MAX_LINE_CHARS));
    deps.report({ ...base, lines, ...(lines.length === 0 ? { note: 'it wrote nothing on stderr' } : {}) });
  } catch (error) {
    if (deps.signal.aborted) throw error;
    deps.report({ ...base, lines: [], note: whyNoLogs(error, options.namespace) });
  }
}

function whyNoLogs(error: unknown, namespace: string | undefined): string {
  if (error instanceof ApiError && (error.status === 403 || error.status === 401)) {
    return `not allowed to read its logs: the token needs read-logs, e.g. namespace "${namespace ?? 'default'}" { capabilities = ["read-logs"] }`;
  }
  if (error instanceof ApiError && error.status === 404) return `no logs: ${error.body || 'not found'} (a task that never started wrote nothing)`;
  if (error instanceof Error && error.name === 'TimeoutError') return `its logs did not arrive within ${READ_TIMEOUT_MS / 1000} s`;
  return `its logs could not be read: ${error instanceof Error ? error.message : String(error)}`;
}
