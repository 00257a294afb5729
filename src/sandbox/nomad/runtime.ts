import type { ConsulCatalogSink } from '../consul/index.ts';
import type { SandboxRandom } from '../random.ts';
import type { SandboxClock } from '../types.ts';
import type { ClientSim } from './client-sim.ts';
import type { SimNode } from './model.ts';
import type { ScenarioBook } from './scenarios.ts';
import type { Scheduler } from './scheduler.ts';
import type { NomadStore } from './store.ts';
import type { DeploymentWatcher } from './watcher.ts';

/** The part of the Consul sandbox the Nomad client uses to register services of running allocations. */
export type ConsulSink = Pick<ConsulCatalogSink, 'registerService' | 'deregisterService'> & Partial<Pick<ConsulCatalogSink, 'setCheckStatus'>>;

/**
 * Everything the simulator's parts share. The scheduler, simulated client and deployment watcher
 * call each other through it, the way Nomad's server and client talk through raft state.
 */
export interface Runtime {
  readonly store: NomadStore;
  readonly clock: SandboxClock;
  readonly random: SandboxRandom;
  readonly nodes: readonly SimNode[];
  readonly scenarios: ScenarioBook;
  readonly consul: ConsulSink | undefined;
  /** When each allocation failed or was found unhealthy (sandbox ms), for reschedule delays. */
  readonly failedAt: Map<string, number>;
  /** The scheduler configuration's `MemoryOversubscriptionEnabled`: when off, `memory_max` draws a register warning. */
  readonly memoryOversubscription: boolean;
  scheduler: Scheduler;
  client: ClientSim;
  watcher: DeploymentWatcher;
}
