/**
 * How the applications drover deploys are labelled when Prometheus finds them in Consul's catalog:
 * the `apps` job of prometheus/prometheus.yml, as data, for the Prometheus configurations drover
 * writes itself (`drover up`'s). A test holds the two equal, so dashboards, alerts and canary
 * analysis see the same labels on a laptop as in production.
 */

/** One rule of Prometheus's relabel_configs, with Prometheus's own field names. */
export interface RelabelRule {
  readonly source_labels?: readonly string[];
  readonly regex?: string;
  readonly action?: 'keep' | 'drop' | 'labeldrop' | 'replace';
  readonly target_label?: string;
  readonly replacement?: string;
}

const fromMeta = (key: string, target: string): RelabelRule => ({ source_labels: [`__meta_consul_service_metadata_${key}`], target_label: target });

/** relabel_configs of the `apps` job. */
export const APP_RELABEL_CONFIGS: readonly RelabelRule[] = [
  // Only instances drover deployed (its service meta names the project).
  { source_labels: ['__meta_consul_service_metadata_drover_project'], regex: '.+', action: 'keep' },
  // Infrastructure jobs are scraped by their own jobs, or have no HTTP metrics.
  { source_labels: ['__meta_consul_service'], regex: 'fabio|node-exporter|postgres', action: 'drop' },
  { source_labels: ['__meta_consul_service'], target_label: 'service' },
  fromMeta('drover_job', 'nomad_job'),
  fromMeta('drover_group', 'task_group'),
  fromMeta('drover_namespace', 'namespace'),
  fromMeta('drover_node_pool', 'node_pool'),
  fromMeta('drover_datacenter', 'datacenter'),
  fromMeta('drover_owner', 'owner'),
  fromMeta('drover_env', 'env'),
  // Nomad registers `_nomad-task-<alloc ID>-<task or group>-<service>-<port label>`.
  { source_labels: ['__meta_consul_service_id'], regex: '_nomad-task-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-.*', target_label: 'alloc' },
  // canary="true" while the instance carries Nomad's canary_tags, "false" otherwise.
  { target_label: 'canary', replacement: 'false' },
  { source_labels: ['__meta_consul_tags'], regex: '.*,canary,.*', target_label: 'canary', replacement: 'true' },
  { source_labels: ['__meta_consul_node'], target_label: 'node' },
  { source_labels: ['__meta_consul_dc'], target_label: 'consul_dc' },
];

/** metric_relabel_configs of every job: a scraped series' own `job` label arrives as exported_job and becomes nomad_job. */
export const NOMAD_JOB_METRIC_RELABEL: readonly RelabelRule[] = [
  { source_labels: ['exported_job'], regex: '(.+)', target_label: 'nomad_job' },
  { regex: 'exported_job', action: 'labeldrop' },
];
