import { ExitCode } from '../errors.ts';
import type { JobResult } from './outcome.ts';

/**
 * The deploy's exit code from its job results; pure. A failed or rolled-back job (1) outranks a
 * placement failure (2), which outranks canaries waiting for promotion (3): the code always tells
 * the worst thing that happened.
 */
export function deployExitCode(results: readonly JobResult[]): ExitCode {
  const statuses = new Set(results.map((r) => r.outcome.status));
  if (statuses.has('failed') || statuses.has('skipped')) return ExitCode.deploymentFailed;
  if (statuses.has('placement-failed')) return ExitCode.placementFailed;
  if (statuses.has('awaiting-promotion')) return ExitCode.awaitingPromotion;
  return ExitCode.ok;
}
