/**
 * One judged point of `drover cluster check` and the run's exit code. Pure.
 */
import { ExitCode } from '../errors.ts';
import type { Read, ReadFailure } from './facts.ts';

/**
 * `pass`/`fail` judge the point; `warn` passes with a remark; `skipped` did not apply (ACLs off in
 * the definition, no Prometheus address); `unreachable`/`denied` could not be judged.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped' | 'unreachable' | 'denied';

export interface CheckResult {
  /** Stable id, e.g. `nomad/raft-peers`. */
  readonly id: string;
  /** What was checked, for people. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about it (every status but pass). */
  readonly fix?: string;
}

/** A result for a point whose read failed: unreachable, denied, or a failure with the error. */
export function notJudged(id: string, title: string, failure: ReadFailure, denyFix: string): CheckResult {
  if (failure.kind === 'unreachable') return { id, title, status: 'unreachable', detail: `${failure.request}: ${failure.detail}`, fix: 'Check the address and that the agent runs; `drover cluster check` only reads.' };
  if (failure.kind === 'denied') return { id, title, status: 'denied', detail: `${failure.request}: ${failure.detail}`, fix: denyFix };
  return { id, title, status: 'fail', detail: `${failure.request}: ${failure.detail}`, fix: 'See the answer above; check the agent\'s log.' };
}

/** Runs `judge` on a read's value, or reports why it could not be read. */
export function judge<T>(read: Read<T>, id: string, title: string, denyFix: string, judgeValue: (value: T) => Omit<CheckResult, 'id' | 'title'>): CheckResult {
  if (!read.ok) return notJudged(id, title, read.failure, denyFix);
  return { id, title, ...judgeValue(read.value) };
}

/** 69 when a core service (Nomad, Consul, Vault) could not be reached, 77 when a token was refused, 1 when a point failed, else 0. */
export function clusterCheckExitCode(results: readonly CheckResult[]): number {
  if (results.some((r) => r.status === 'unreachable')) return ExitCode.unreachable;
  if (results.some((r) => r.status === 'denied')) return ExitCode.noPermission;
  if (results.some((r) => r.status === 'fail')) return 1;
  return ExitCode.ok;
}
