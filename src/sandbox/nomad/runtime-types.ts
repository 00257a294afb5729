import type { ConsulCatalogSink } from '../consul/index.ts';
import type { SandboxRandom } from '../random.ts';
import type { SandboxClock } from '../types.ts';
import type { LogBook } from './logs.ts';
import type { Allocation, SimNode } from './model.ts';
import type { Scenario, ScenarioBook } from './scenarios.ts';
import type { NomadStore } from './store.ts';

// The scheduler, the simulated client (with its health tracker) and the deployment watcher call
// each other at run time, the way Nomad's server and client talk through raft state. Each one
// receives from the composition root (index.ts) only the calls it makes, typed here, so those
// calls need no import of the callee's module and the imports stay acyclic (the client and the
// watcher still use scheduler.ts's `newEvaluation`, which imports neither). Types only: this
// module must import none of those modules.

/** The part of the Consul sandbox the Nomad client uses to register services of running allocations. */
export type ConsulSink = Pick<ConsulCatalogSink, 'registerService' | 'deregisterService'> & Partial<Pick<ConsulCatalogSink, 'setCheckStatus'>>;

/** The simulated cluster's state, shared by every part; the references never change. */
export interface SimState {
  readonly store: NomadStore;
  readonly clock: SandboxClock;
  readonly random: SandboxRandom;
  readonly nodes: readonly SimNode[];
  readonly scenarios: ScenarioBook;
  /** When each allocation failed or was found unhealthy (sandbox ms), for reschedule delays. */
  readonly failedAt: Map<string, number>;
  /** What the simulated tasks wrote to stdout and stderr (served by `/v1/client/fs/logs`). */
  readonly logs: LogBook;
}

/** The scheduler's evaluation queue, fed by the client (failed allocations) and the watcher. */
export interface EvalQueue {
  /** Processes `evalId` after `delayMs` of sandbox time (the scheduling delay by default). */
  enqueue(evalId: string, delayMs?: number): void;
  /** Re-evaluates blocked evaluations after capacity was freed. */
  unblock(): void;
}

/** What the scheduler and the watcher tell the simulated client about allocations. */
export interface AllocLifecycle {
  /** Starts simulating a newly placed allocation. */
  start(allocId: string): void;
  /** The server told the allocation to stop. */
  stop(allocId: string): void;
  /** An in-place update moved the allocation into a new deployment. */
  rejoin(allocId: string): void;
  /** Re-registers services (canary tags change on promotion). */
  refreshServices(allocId: string): void;
}

/** What the scheduler and the simulated client ask and tell the deployment watcher. */
export interface DeploymentHooks {
  /** (Re)arms the progress-deadline timer of a deployment. */
  watch(deploymentId: string): void;
  /** Is `alloc` a canary whose group is not promoted yet (Consul gets its CanaryTags)? */
  isUnpromotedCanary(alloc: Allocation): boolean;
  /** An allocation of a deployment reported health. */
  onHealth(alloc: Allocation): void;
}

/** The simulated client's view of one allocation. */
export interface Run {
  readonly allocId: string;
  readonly scenario: Scenario;
  readonly timers: Set<() => void>;
  restarts: number;
  running: boolean;
  checksPassing: boolean;
  /** The failing checks' output has reached the catalog (see `TIMING.checkOutputSync`). */
  checkOutputSynced?: boolean;
}

/** The client steps the health tracker drives for a run. */
export interface RunSteps {
  /** Schedules a step of `run`; cancelled when the allocation stops. */
  later(run: Run, ms: number, fn: () => void): () => void;
  /** Mutates an allocation in one `AllocationUpdated` entry; `after` runs once it is committed. */
  update(alloc: Allocation, mutate: (alloc: Allocation, now: number) => void, after?: (alloc: Allocation) => void): void;
}
