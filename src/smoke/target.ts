import type { ConsulClient } from '../clients/consul/index.ts';
import type { Environment } from '../config/environment.ts';
import type { JobSpec } from '../model/job.ts';
import type { SmokeVia } from '../model/smoke.ts';
import type { ServiceSpec } from '../model/service.ts';

/** Where a job's smoke requests go: a base URL, or why there is none. */
export type SmokeTarget = { readonly kind: 'url'; readonly baseUrl: string } | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * The Consul service `via: 'consul'` checks talk to: the job's first service with an HTTP route
 * (the one users reach), else its first service. `undefined` when the job registers none.
 */
export function smokeService(job: JobSpec): ServiceSpec | undefined {
  const services = job.groups.flatMap((group) => group.services ?? []);
  return services.find((s) => (s.routes ?? []).some((r) => r.kind === undefined || r.kind === 'http')) ?? services[0];
}

/** Resolves the base URL for `via` once per job (Consul is asked for a passing instance). */
export async function resolveSmokeTarget(via: SmokeVia, job: JobSpec, deps: { readonly env: Environment; readonly consul: ConsulClient; readonly signal?: AbortSignal }): Promise<SmokeTarget> {
  if (via === 'fabio') {
    const address = deps.env.fabio.address;
    if (!address) return { kind: 'unavailable', reason: `environment ${deps.env.name} has no fabio.address to send requests through` };
    return { kind: 'url', baseUrl: address.replace(/\/+$/, '') };
  }
  const service = smokeService(job);
  if (!service) return { kind: 'unavailable', reason: `job ${job.id} registers no Consul service to reach directly` };
  const entries = (await deps.consul.health.service(service.name, { passingOnly: true, ...(deps.signal ? { signal: deps.signal } : {}) })).value;
  // Sorted so repeated runs hit the same instance (Consul answers in no guaranteed order).
  const entry = [...entries].sort((a, b) => (a.Service.ID < b.Service.ID ? -1 : 1))[0];
  if (!entry) return { kind: 'unavailable', reason: `service ${service.name} has no passing instance in Consul` };
  const host = entry.Service.Address || entry.Node.Address;
  return { kind: 'url', baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${entry.Service.Port}` };
}
