import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { JobResult } from './outcome.ts';

/** What a stage after the rollout gets: how every job ended, and the cluster's clients. */
export interface StageContext {
  readonly results: readonly JobResult[];
  readonly nomad: NomadClient;
  readonly consul: ConsulClient;
  readonly signal: AbortSignal;
}

/**
 * A named step that runs under the environment lock after every job finished (and prune ran), in
 * order: QA records and verifies its release here, prod records its outcome, so no other deploy
 * can change the environment in between. A stage that throws ends the deploy with its error.
 */
export interface RolloutStage {
  readonly name: string;
  run(context: StageContext): Promise<void>;
}
