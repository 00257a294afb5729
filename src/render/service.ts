import type { ServiceCheck, ServiceSpec } from '../model/service.ts';
import type { NomadService, NomadServiceCheck } from '../wire/nomad-job.ts';
import { compact, sortedMap } from './canonical-json.ts';
import { CANARY_TAG, renderUrlprefixTag } from './fabio-tags.ts';
import { nanos } from './nanos.ts';

export interface ServiceRenderOptions {
  /** The group deploys canaries. */
  readonly canaries: boolean;
  /** Consul service meta drover adds (job, project, env, group, namespace, node pool, datacenter, owner). */
  readonly meta: Readonly<Record<string, string>>;
}

/**
 * A Consul-provider service. Routes become `urlprefix-` tags; in canary groups, canaries carry the
 * same tags plus `canary` (Nomad's CanaryTags replace Tags), so Fabio routes them and weighted
 * rules can select them; with `routeCanaries: false` canaries get no route tags at all.
 */
export function renderService(spec: ServiceSpec, options: ServiceRenderOptions): NomadService {
  const routeTags = (spec.routes ?? []).map(renderUrlprefixTag);
  const tags = [...(spec.tags ?? []), ...routeTags];
  const canaryBase = spec.routeCanaries === false ? [...(spec.tags ?? [])] : tags;
  return compact({
    Name: spec.name,
    PortLabel: spec.port,
    Provider: 'consul' as const,
    Tags: tags.length ? tags : undefined,
    CanaryTags: options.canaries ? [...canaryBase, CANARY_TAG] : undefined,
    // drover's ownership keys win over user meta of the same name.
    Meta: sortedMap({ ...spec.meta, ...options.meta }),
    Checks: spec.checks?.length ? spec.checks.map((check, i) => renderCheck(spec, check, i)) : undefined,
  });
}

function renderCheck(service: ServiceSpec, check: ServiceCheck, index: number): NomadServiceCheck {
  const base: NomadServiceCheck = compact({
    Name: check.name ?? `${service.name}-${check.type}${index > 0 ? `-${index}` : ''}`,
    Type: check.type,
    Interval: nanos(check.interval ?? '10s'),
    Timeout: nanos(check.timeout ?? '2s'),
    PortLabel: check.port,
    CheckRestart: check.restart
      ? { Limit: check.restart.limit, Grace: nanos(check.restart.grace ?? '1s'), IgnoreWarnings: check.restart.ignoreWarnings ?? false }
      : undefined,
  });
  switch (check.type) {
    case 'http':
      return compact({ ...base, Path: check.path, Method: check.method, Protocol: check.protocol, TLSSkipVerify: check.tlsSkipVerify });
    case 'grpc':
      return compact({ ...base, GRPCService: check.grpcService, GRPCUseTLS: check.grpcUseTls });
    case 'script':
      return compact({ ...base, Command: check.command, Args: check.args ? [...check.args] : undefined, TaskName: check.task });
    case 'tcp':
      return base;
  }
}
