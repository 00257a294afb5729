import { type RouteRequest, type Router, field, sendJson } from '../http.ts';
import { answerError, blockingRead, indentFor } from './blocking.ts';
import { type NomadContext, decodeBody, inNamespace, requestNamespace } from './context.ts';
import { allocationStub, encodeDeployment } from './encode.ts';
import { NomadError } from './job-writes.ts';
import { type Allocation, type Deployment, ACTIVE_DEPLOYMENT, DEPLOYMENT_TEXT } from './model.ts';
import type { DeploymentUpdate } from './watcher.ts';

/** Deployment endpoints (nomad.md §4). */
export function addDeploymentRoutes(router: Router, ctx: NomadContext): void {
  const { store } = ctx.rt;
  router.add(['GET'], '/v1/deployments', (r) =>
    blockingRead(store, r, ['deployments'], () => {
      const namespace = requestNamespace(r.url);
      const prefix = r.url.searchParams.get('prefix') ?? '';
      const list = [...store.deployments.values()].filter((d) => inNamespace(namespace, d.Namespace) && d.ID.startsWith(prefix)).sort((a, b) => b.CreateIndex - a.CreateIndex);
      return { value: list.map(encodeDeployment), index: store.tableIndex.deployments };
    }),
  );
  router.add(['GET'], '/v1/deployment/:id', (r) =>
    blockingRead(store, r, ['deployments'], () => {
      const deployment = store.deployments.get(r.params.id!);
      if (!deployment) throw new NomadError(404, 'deployment not found');
      return { value: encodeDeployment(deployment), index: deployment.ModifyIndex };
    }),
  );
  router.add(['GET'], '/v1/deployment/allocations/:id', (r) =>
    blockingRead(store, r, ['allocs'], () => {
      const allocs = [...store.allocs.values()].filter((a) => a.DeploymentID === r.params.id);
      return { value: allocs.map((a) => allocationStub(a)), index: store.tableIndex.allocs };
    }),
  );
  const write = (path: string, fn: (r: RouteRequest, d: Deployment) => DeploymentUpdate, options: { bodyId?: boolean } = {}): void => {
    router.add(['PUT', 'POST'], path, (r) => {
      try {
        // The HTTP handler checks the body's DeploymentID (400) before the RPC looks the deployment up.
        if (options.bodyId) checkDeploymentId(r);
        const deployment = store.deployments.get(r.params.id!);
        // Actions on unknown deployments are RPC errors: 500, not 404.
        if (!deployment) throw new NomadError(500, 'deployment not found');
        sendJson(r.res, 200, fn(r, deployment), { 'X-Nomad-Index': String(store.index) }, indentFor(r.url));
      } catch (error) {
        answerError(r.res, error);
      }
    });
  };
  write('/v1/deployment/promote/:id', (r, d) => promote(ctx, r, d), { bodyId: true });
  write('/v1/deployment/fail/:id', (_r, d) => {
    if (!ACTIVE_DEPLOYMENT.has(d.Status)) throw new NomadError(500, "can't fail terminal deployment");
    return ctx.rt.watcher.fail(d, DEPLOYMENT_TEXT.markedFailed);
  });
  write('/v1/deployment/allocation-health/:id', (r, d) => allocHealth(ctx, r, d), { bodyId: true });
  write('/v1/deployment/pause/:id', (r, d) => pause(ctx, r, d), { bodyId: true });
}

function checkDeploymentId(r: RouteRequest): Record<string, unknown> {
  const body = decodeBody(r);
  const id = field(body, 'DeploymentID');
  if (id === undefined || id === '') throw new NomadError(400, 'DeploymentID must be specified');
  if (id !== r.params.id) throw new NomadError(400, 'Deployment ID does not match');
  return body;
}

function promote(ctx: NomadContext, r: RouteRequest, d: Deployment): DeploymentUpdate {
  const body = checkDeploymentId(r);
  if (!ACTIVE_DEPLOYMENT.has(d.Status)) throw new NomadError(500, "can't promote terminal deployment");
  const groups = field(body, 'Groups');
  const all = field(body, 'All') === true;
  const names = Array.isArray(groups) ? groups.map(String) : [];
  // All=false without Groups promotes nothing (and then there are no canaries to promote).
  try {
    return ctx.rt.watcher.promote(d, { all, groups: names });
  } catch (error) {
    throw new NomadError(500, error instanceof Error ? error.message : String(error));
  }
}

function allocHealth(ctx: NomadContext, r: RouteRequest, d: Deployment): DeploymentUpdate {
  const body = checkDeploymentId(r);
  const ids = (name: string): string[] => {
    const value = field(body, name);
    return Array.isArray(value) ? value.map(String) : [];
  };
  const [healthy, unhealthy] = [ids('HealthyAllocationIDs'), ids('UnhealthyAllocationIDs')];
  if (healthy.length + unhealthy.length === 0) throw new NomadError(500, 'must specify at least one healthy/unhealthy allocation ID');
  if (!ACTIVE_DEPLOYMENT.has(d.Status)) throw new NomadError(500, "can't set health of allocations for a terminal deployment");
  const lookup = (id: string): Allocation => {
    const alloc = ctx.rt.store.allocs.get(id);
    if (!alloc) throw new NomadError(500, `unknown alloc "${id}"`);
    if (alloc.DeploymentID !== d.ID) throw new NomadError(500, `alloc "${id}" is not part of deployment "${d.ID}"`);
    return alloc;
  };
  return ctx.rt.watcher.setAllocHealth(d, healthy.map(lookup), unhealthy.map(lookup));
}

function pause(ctx: NomadContext, r: RouteRequest, d: Deployment): DeploymentUpdate {
  const body = checkDeploymentId(r);
  const pauseIt = field(body, 'Pause') === true;
  if (!ACTIVE_DEPLOYMENT.has(d.Status)) throw new NomadError(500, pauseIt ? "can't pause terminal deployment" : "can't resume terminal deployment");
  return ctx.rt.watcher.pause(d, pauseIt);
}
