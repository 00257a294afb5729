/**
 * Which instances of a service are the canary's: Nomad names the canary allocations (the
 * deployment's `PlacedCanaries` of the group), Consul's catalog gives each instance's address.
 * Nomad registers a task's service with the ID `_nomad-task-<alloc ID>-…`, which ties the two
 * together without relying on the `canary` tag (that tag flips on promotion, the alloc ID not).
 */
import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { ConsulCatalogService } from '../wire/consul.ts';
import type { CanaryTargets } from './gates.ts';

/** Splits catalog entries into canary and stable `host:port` by the canary allocation IDs. Pure. */
export function splitTargets(entries: readonly ConsulCatalogService[], canaryAllocIds: readonly string[]): CanaryTargets {
  const canary: string[] = [];
  const stable: string[] = [];
  for (const entry of entries) {
    if (!(entry.ServicePort > 0)) continue;
    const instance = `${entry.ServiceAddress || entry.Address}:${entry.ServicePort}`;
    const isCanary = canaryAllocIds.some((id) => entry.ServiceID.startsWith(`_nomad-task-${id}-`));
    (isCanary ? canary : stable).push(instance);
  }
  return { canary: [...new Set(canary)].sort(), stable: [...new Set(stable)].sort() };
}

/** Options of {@link canaryTargetsResolver}. */
export interface TargetsSource {
  readonly nomad: Pick<NomadClient, 'deployments'>;
  readonly consul: Pick<ConsulClient, 'catalog'>;
  readonly deploymentId: string;
  /** Task group whose canaries are weighted. */
  readonly group: string;
  /** Consul service name of the weighted route. */
  readonly service: string;
}

/** A function reading the canary's and the stable instances now, for `runAnalysis`. */
export function canaryTargetsResolver(source: TargetsSource): (signal: AbortSignal) => Promise<CanaryTargets> {
  return async (signal) => {
    const [deployment, catalog] = await Promise.all([source.nomad.deployments.read(source.deploymentId, { signal }), source.consul.catalog.service(source.service, { signal })]);
    const placed = deployment.value.TaskGroups?.[source.group]?.PlacedCanaries ?? [];
    return splitTargets(catalog.value, placed);
  };
}
