import type { SimState } from './runtime-types.ts';
import type { Scheduler } from './scheduler.ts';
import type { DeploymentWatcher } from './watcher.ts';

// server.ts hands the Consul sandbox to the Nomad one under this name.
export type { ConsulSink } from './runtime-types.ts';

/**
 * What the HTTP routes (through `NomadContext`) and job writes use of the simulator: the cluster
 * state and the calls they make on the scheduler and the deployment watcher. Built once by
 * index.ts after it wired those actors; nothing the actors import depends on it.
 */
export interface Runtime extends Pick<SimState, 'store' | 'clock' | 'random' | 'nodes'> {
  /** The scheduler configuration's `MemoryOversubscriptionEnabled`: when off, `memory_max` draws a register warning. */
  readonly memoryOversubscription: boolean;
  readonly scheduler: Pick<Scheduler, 'enqueue' | 'plan'>;
  readonly watcher: Pick<DeploymentWatcher, 'fail' | 'promote' | 'setAllocHealth' | 'pause'>;
}
