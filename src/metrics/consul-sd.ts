/**
 * Consul's catalog as Prometheus service discovery targets, labelled exactly as Prometheus's own
 * `consul_sd_configs` labels them (`__meta_consul_*`), so the committed relabeling of
 * prometheus/prometheus.yml runs unchanged on them. For Prometheus builds without consul_sd
 * (Debian's): `drover consul-sd` serves these groups over Prometheus's HTTP service discovery
 * (`http_sd_configs`), and `drover up`'s Prometheus reads them there. Pure.
 */
import type { ConsulCatalogService } from '../wire/consul.ts';

/** One target group of Prometheus's file/HTTP service discovery: `[{ targets, labels }]`. */
export interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** A Consul name in a label name: what Prometheus does to service metadata keys (non-alphanumerics to `_`). */
function labelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** The labels consul_sd gives one catalog entry (Prometheus's discovery/consul). */
export function consulSdLabels(entry: ConsulCatalogService): Record<string, string> {
  const meta = Object.fromEntries(Object.entries(entry.ServiceMeta).map(([key, value]) => [`__meta_consul_service_metadata_${labelName(key)}`, value]));
  return {
    __meta_consul_service: entry.ServiceName,
    __meta_consul_service_id: entry.ServiceID,
    __meta_consul_service_address: entry.ServiceAddress,
    __meta_consul_service_port: String(entry.ServicePort),
    __meta_consul_address: entry.Address,
    __meta_consul_node: entry.Node,
    __meta_consul_dc: entry.Datacenter,
    // consul_sd joins the tags with its separator on both ends, so `.*,canary,.*` matches any position.
    __meta_consul_tags: `,${entry.ServiceTags.join(',')},`,
    ...meta,
  };
}

/**
 * One group per service instance, its target `address:port` (the node's address when the service
 * registered none), in a stable order (service, then service ID), so an unchanged catalog gives
 * the same answer byte for byte.
 */
export function consulSdTargetGroups(entries: readonly ConsulCatalogService[]): TargetGroup[] {
  return [...entries]
    .sort((a, b) => (a.ServiceName === b.ServiceName ? compare(a.ServiceID, b.ServiceID) : compare(a.ServiceName, b.ServiceName)))
    .map((entry) => ({ targets: [`${entry.ServiceAddress || entry.Address}:${entry.ServicePort}`], labels: consulSdLabels(entry) }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
