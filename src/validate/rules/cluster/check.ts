import type { Cluster } from '../../../config/cluster.ts';
import type { Environment } from '../../../config/environment.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import type { Diagnostic } from '../../diagnostic.ts';

/** What a cluster rule sees: one cluster file, the environment it names, and that environment's jobs. */
export interface ClusterCheck {
  readonly cluster: Cluster;
  /** Project-relative, e.g. `environments/clusters/qa.ts`. */
  readonly file: string;
  /** The environment `cluster.env` names; undefined when no environment has that name. */
  readonly env: Environment | undefined;
  /** Every job built for that environment. */
  readonly jobs: readonly LoadedJob[];
}

/** A pure check of one cluster definition, id like `cluster/server-count`. */
export interface ClusterRule {
  readonly id: string;
  readonly description: string;
  check(input: ClusterCheck): Diagnostic[];
}

/** The machines' role names as rendered: `server` and `client-<pool>`. */
export const SERVERS = 'servers';
