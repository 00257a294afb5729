import { type Router, parseBool } from '../http.ts';
import { blockingRead } from './blocking.ts';
import { type NomadContext, inNamespace, requestNamespace } from './context.ts';
import { allocationStub, encodeAllocation, encodeEvaluation } from './encode.ts';
import { NomadError } from './job-writes.ts';
import type { Evaluation } from './model.ts';

/** Allocation and evaluation endpoints (nomad.md §5, §6). */
export function addAllocRoutes(router: Router, ctx: NomadContext): void {
  const { store } = ctx.rt;
  router.add(['GET'], '/v1/allocations', (r) =>
    blockingRead(store, r, ['allocs'], () => {
      const namespace = requestNamespace(r.url);
      const prefix = r.url.searchParams.get('prefix') ?? '';
      const options = { taskStates: parseBool(r.url.searchParams.get('task_states')) !== false, resources: parseBool(r.url.searchParams.get('resources')) === true };
      const allocs = [...store.allocs.values()].filter((a) => inNamespace(namespace, a.Namespace) && a.ID.startsWith(prefix));
      return { value: allocs.map((a) => allocationStub(a, options)), index: store.tableIndex.allocs };
    }),
  );
  router.add(['GET'], '/v1/allocation/:id', (r) =>
    blockingRead(store, r, ['allocs'], () => {
      const alloc = store.allocs.get(r.params.id!);
      if (!alloc) throw new NomadError(404, 'alloc not found');
      return { value: encodeAllocation(alloc), index: alloc.ModifyIndex };
    }),
  );
  router.add(['GET'], '/v1/evaluations', (r) =>
    blockingRead(store, r, ['evals'], () => {
      const namespace = requestNamespace(r.url);
      const [job, status, prefix] = ['job', 'status', 'prefix'].map((k) => r.url.searchParams.get(k));
      const evals = [...store.evals.values()].filter(
        (e) => inNamespace(namespace, e.Namespace) && (!job || e.JobID === job) && (!status || e.Status === status) && (!prefix || e.ID.startsWith(prefix)),
      );
      return { value: evals.map(encodeEvaluation), index: store.tableIndex.evals };
    }),
  );
  router.add(['GET'], '/v1/evaluation/:id', (r) =>
    blockingRead(store, r, ['evals'], () => {
      const evaluation = store.evals.get(r.params.id!);
      if (!evaluation) throw new NomadError(404, 'eval not found');
      const related = parseBool(r.url.searchParams.get('related')) === true;
      const value = encodeEvaluation(evaluation);
      if (related) value.RelatedEvals = relatedStubs(ctx, evaluation);
      return { value, index: evaluation.ModifyIndex };
    }),
  );
  router.add(['GET'], '/v1/evaluation/:id/allocations', (r) =>
    blockingRead(store, r, ['allocs'], () => {
      const allocs = [...store.allocs.values()].filter((a) => a.EvalID === r.params.id);
      return { value: allocs.map((a) => allocationStub(a)), index: store.tableIndex.allocs };
    }),
  );
}

/** `EvaluationStub`s of the evaluations linked by Next/Previous/Blocked (`?related=true`). */
function relatedStubs(ctx: NomadContext, evaluation: Evaluation): unknown[] {
  const ids = new Set([evaluation.NextEval, evaluation.PreviousEval, evaluation.BlockedEval].filter(Boolean));
  for (const other of ctx.rt.store.evals.values()) if (other.PreviousEval === evaluation.ID || other.BlockedEval === evaluation.ID) ids.add(other.ID);
  return [...ids].map((id) => ctx.rt.store.evals.get(id)).filter((e): e is Evaluation => !!e).map((e) => ({
    ID: e.ID, Namespace: e.Namespace, Priority: e.Priority, Type: e.Type, TriggeredBy: e.TriggeredBy, JobID: e.JobID, NodeID: '',
    DeploymentID: e.DeploymentID, Status: e.Status, StatusDescription: e.StatusDescription, WaitUntil: e.WaitUntil, NextEval: e.NextEval,
    PreviousEval: e.PreviousEval, BlockedEval: e.BlockedEval, CreateIndex: e.CreateIndex, ModifyIndex: e.ModifyIndex, CreateTime: e.CreateTime, ModifyTime: e.ModifyTime,
  }));
}
