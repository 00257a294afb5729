import type { CanaryEvent } from '../canary/events.ts';
import type { ReleaseEvent } from '../release/events.ts';
import type { JobOutcome, JobResult } from '../deploy/outcome.ts';
import type { AllocationFailure } from '../watch/classify.ts';
import type { HealthWait } from '../watch/health-wait.ts';

/**
 * Everything a deploy reports: the engine's own events, the release's (creation, smoke checks,
 * soak, prod gate) and the progressive canary's. Reporters print these; nothing else prints. A new
 * event does not compile until `formatters.ts` can format it.
 */
export type DeployEvent = EngineEvent | ReleaseEvent | CanaryEvent;

/** Events of the deploy engine itself (lock, plan, register, watch). */
export type EngineEvent =
  | { readonly type: 'deploy-started'; readonly env: string; readonly release: string; readonly waves: readonly (readonly string[])[] }
  | { readonly type: 'lock-acquired'; readonly env: string; readonly key: string }
  | { readonly type: 'lock-waiting'; readonly env: string; readonly holder: string }
  | { readonly type: 'lock-released'; readonly env: string }
  | { readonly type: 'lock-lost'; readonly env: string; readonly reason: string }
  | { readonly type: 'job-waiting'; readonly job: string; readonly on: readonly string[] }
  | { readonly type: 'job-planned'; readonly job: string; readonly summary: string }
  /** Nomad's warnings about the job, one line each, from its plan or (when new there) its registration. */
  | { readonly type: 'job-warnings'; readonly job: string; readonly source: 'plan' | 'register'; readonly warnings: readonly string[] }
  | { readonly type: 'job-registered'; readonly job: string; readonly version: number; readonly evalId: string }
  | { readonly type: 'job-resumed'; readonly job: string; readonly version: number; readonly deploymentId: string }
  | { readonly type: 'job-progress'; readonly job: string; readonly message: string }
  | { readonly type: 'allocation-failed'; readonly job: string; readonly failure: AllocationFailure }
  /** The last lines the failing allocation's task wrote on stderr (redacted, bounded); `note` says why there are none. */
  | { readonly type: 'allocation-logs'; readonly job: string; readonly allocId: string; readonly allocName: string; readonly task: string; readonly stream: 'stderr'; readonly lines: readonly string[]; readonly note?: string }
  | { readonly type: 'health-check-failing'; readonly job: string; readonly wait: HealthWait }
  | { readonly type: 'deployment-failing'; readonly job: string; readonly deploymentId: string; readonly reason: string }
  | { readonly type: 'canaries-healthy'; readonly job: string; readonly deploymentId: string; readonly groups: readonly string[] }
  | { readonly type: 'deployment-promoted'; readonly job: string; readonly deploymentId: string }
  /**
   * The rollout of `failedVersion` failed; Nomad's auto-revert registered version `revertedTo`
   * again as `version`, and that deployment waits for its healthy canaries (`groups`) to be
   * promoted: Nomad puts a revert through the canary phase (hashicorp/nomad#10882).
   */
  | { readonly type: 'revert-awaiting-promotion'; readonly job: string; readonly env: string; readonly failedVersion: number; readonly revertedTo: number; readonly version: number; readonly deploymentId: string; readonly groups: readonly string[] }
  | { readonly type: 'job-finished'; readonly job: string; readonly outcome: JobOutcome }
  | { readonly type: 'watch-reconnected'; readonly index: number; readonly attempt: number; readonly reason: string }
  | { readonly type: 'watch-fallback'; readonly reason: string }
  | { readonly type: 'retry'; readonly service: string; readonly request: string; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'deploy-finished'; readonly env: string; readonly exitCode: number; readonly results: readonly JobResult[] };

export type DeployEventType = DeployEvent['type'];

/** Receives events; reporters implement it, tests collect into an array. */
export type Report = (event: DeployEvent) => void;
