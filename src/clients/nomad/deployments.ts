/**
 * Deployments, evaluations and allocations. Nomad quirks: promote, pause and allocation-health
 * need `DeploymentID` in the body as well as the path (400 otherwise); acting on an unknown or
 * terminal deployment is a **500** (`deployment not found`, `can't promote terminal deployment`),
 * only `GET /v1/deployment/:id` answers 404.
 * @see https://developer.hashicorp.com/nomad/api-docs/deployments
 * @see https://developer.hashicorp.com/nomad/api-docs/evaluations
 * @see https://developer.hashicorp.com/nomad/api-docs/allocations
 */
import { list } from '../http/shape.ts';
import { read, seg, write } from './call.ts';
import { openLogs } from './logs.ts';
import * as S from './shapes.ts';
import type { NomadTransport } from './transport.ts';
import type { NomadClient } from './types.ts';

/** Builds the `deployments` group. */
export function createDeployments(transport: NomadTransport): NomadClient['deployments'] {
  return {
    read: (id, opts = {}) => read(transport, `/v1/deployment/${seg(id)}`, opts, S.deployment),
    list: (opts = {}) => read(transport, '/v1/deployments', { ...opts, query: { prefix: opts.prefix } }, list(S.deployment)),
    allocations: (id, opts = {}) => read(transport, `/v1/deployment/allocations/${seg(id)}`, opts, list(S.allocStub)),
    promote: (id, target, opts = {}) =>
      write(
        transport,
        {
          method: 'POST',
          path: `/v1/deployment/promote/${seg(id)}`,
          // `All: false` without `Groups` would promote nothing, so the target type forbids it.
          body: 'all' in target ? { DeploymentID: id, All: true } : { DeploymentID: id, Groups: [...target.groups] },
        },
        opts,
        S.deploymentUpdate,
      ),
    // fail needs no body; Nomad takes the ID from the path.
    fail: (id, opts = {}) => write(transport, { method: 'POST', path: `/v1/deployment/fail/${seg(id)}` }, opts, S.deploymentUpdate),
    setAllocHealth: (id, health, opts = {}) =>
      write(
        transport,
        {
          method: 'POST',
          path: `/v1/deployment/allocation-health/${seg(id)}`,
          body: { DeploymentID: id, HealthyAllocationIDs: [...(health.healthy ?? [])], UnhealthyAllocationIDs: [...(health.unhealthy ?? [])] },
        },
        opts,
        S.deploymentUpdate,
      ),
  };
}

/** Builds the `evaluations` group. */
export function createEvaluations(transport: NomadTransport): NomadClient['evaluations'] {
  return {
    read: (id, opts = {}) => read(transport, `/v1/evaluation/${seg(id)}`, opts, S.evaluation),
    allocations: (id, opts = {}) => read(transport, `/v1/evaluation/${seg(id)}/allocations`, opts, list(S.allocStub)),
  };
}

/** Builds the `allocations` group. */
export function createAllocations(transport: NomadTransport): NomadClient['allocations'] {
  return {
    read: (id, opts = {}) => read(transport, `/v1/allocation/${seg(id)}`, opts, S.allocation),
    list: (opts = {}) => read(transport, '/v1/allocations', { ...opts, query: { prefix: opts.prefix, filter: opts.filter } }, list(S.allocStub)),
    logs: (id, opts) => openLogs(transport, id, opts),
  };
}
