/** Public authoring API for job and environment files. */
export { defineJob, type JobDefinition, type JobOptions } from './model/define-job.ts';
export { defineEnvironment, type Environment, type EnvironmentDefinition, type EnvironmentName, type EnvironmentNames } from './config/environment.ts';
export type * from './model/index.ts';
export {
  defineCluster, type Cluster, type ClusterInput, type ClientPool, type ClientPoolInput, type ClusterDriver, type ClusterHost, type ClusterTls,
  type ClusterGossip, type ClusterPorts, type ClusterSeal, type ClusterVersions, type HostVolume, type SecretSource, type ServerGroup,
} from './config/cluster.ts';
