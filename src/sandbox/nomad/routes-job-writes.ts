import { type RouteRequest, type Router, asObject, field, parseBool, sendJson } from '../http.ts';
import { answerError, indentFor } from './blocking.ts';
import { type NomadContext, decodeBody, jsonKind, requestNamespace, uintField } from './context.ts';
import { NomadError, deregisterJob, registerJob, revertJob, scaleJob, setStable } from './job-writes.ts';
import type { Json } from './model.ts';
import { newEvaluation } from './scheduler.ts';
import { current } from './encode.ts';
import { checkJobDecodes, validateJob } from './validate-job.ts';

const WRITE = ['PUT', 'POST'];

/** Write endpoints of jobs. Write methods accept PUT and POST alike. */
export function addJobWriteRoutes(router: Router, ctx: NomadContext): void {
  const write = (methods: string[], path: string, fn: (r: RouteRequest) => unknown): void => {
    router.add(methods, path, (r) => {
      try {
        const value = fn(r);
        sendJson(r.res, 200, value, { 'X-Nomad-Index': String(ctx.rt.store.index) }, indentFor(r.url));
      } catch (error) {
        answerError(r.res, error);
      }
    });
  };
  write(WRITE, '/v1/jobs', (r) => register(ctx, r, undefined));
  write(WRITE, '/v1/job/:id', (r) => register(ctx, r, r.params.id));
  write(['DELETE'], '/v1/job/:id', (r) => deregisterJob(ctx.rt, { namespace: requestNamespace(r.url), id: r.params.id!, purge: parseBool(r.url.searchParams.get('purge')) === true }));
  write(WRITE, '/v1/job/:id/revert', (r) => {
    const body = requireJobId(decodeBody(r), r.params.id!);
    const version = uintField(body, 'JobVersion', 'JobRevertRequest') ?? 0;
    const enforce = uintField(body, 'EnforcePriorVersion', 'JobRevertRequest');
    return revertJob(ctx.rt, { namespace: requestNamespace(r.url), id: r.params.id!, version, ...(enforce !== undefined ? { enforcePriorVersion: enforce } : {}) }, ctx.namespaces);
  });
  write(WRITE, '/v1/job/:id/stable', (r) => {
    const body = requireJobId(decodeBody(r), r.params.id!);
    return setStable(ctx.rt, { namespace: requestNamespace(r.url), id: r.params.id!, version: uintField(body, 'JobVersion', 'JobStabilityRequest') ?? 0, stable: field(body, 'Stable') === true });
  });
  write(WRITE, '/v1/job/:id/scale', (r) => scale(ctx, r));
  write(WRITE, '/v1/job/:id/evaluate', (r) => evaluate(ctx, r));
}

function register(ctx: NomadContext, r: RouteRequest, pathId: string | undefined): unknown {
  const body = decodeBody(r);
  const job = asObject(field(body, 'Job'));
  if (!job) throw new NomadError(400, 'Job must be specified');
  checkJobDecodes(job);
  if (typeof job.ID !== 'string' || job.ID === '') throw new NomadError(400, "Job ID hasn't been provided");
  if (pathId !== undefined && job.ID !== pathId) throw new NomadError(400, 'Job ID does not match name');
  const evalPriority = field(body, 'EvalPriority');
  if (evalPriority !== undefined && evalPriority !== 0 && (typeof evalPriority !== 'number' || evalPriority < 1 || evalPriority > 100)) {
    throw new NomadError(400, 'Eval priority must be between 1 and 100 inclusively');
  }
  validateJob(job);
  // Namespace precedence: ?namespace > request Namespace > Job.Namespace > default.
  const namespace = r.url.searchParams.get('namespace') || stringOr(field(body, 'Namespace')) || stringOr(job.Namespace) || 'default';
  return registerJob(ctx.rt, {
    job, namespace,
    ...(asObject(field(body, 'Submission')) ? { submission: asObject(field(body, 'Submission'))! } : {}),
    enforceIndex: field(body, 'EnforceIndex') === true,
    jobModifyIndex: uintField(body, 'JobModifyIndex', 'JobRegisterRequest') ?? 0,
    preserveCounts: field(body, 'PreserveCounts') === true,
    ...(typeof evalPriority === 'number' && evalPriority > 0 ? { evalPriority } : {}),
  }, ctx.namespaces);
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function requireJobId(body: Json, id: string): Json {
  const jobId = field(body, 'JobID');
  if (jobId === undefined || jobId === '') throw new NomadError(400, 'JobID must be specified');
  if (jobId !== id) throw new NomadError(400, 'Job ID does not match');
  return body;
}

function scale(ctx: NomadContext, r: RouteRequest): unknown {
  const body = decodeBody(r);
  const target = asObject(field(body, 'Target')) ?? {};
  const group = field(target, 'Group');
  if (typeof group !== 'string' || group === '') throw new NomadError(400, 'Missing task group name');
  const count = field(body, 'Count');
  if (count !== undefined && count !== null && (typeof count !== 'number' || !Number.isInteger(count))) {
    throw new NomadError(400, `json: cannot unmarshal ${jsonKind(count)} into Go struct field ScalingRequest.Count of type int64`);
  }
  const error = field(body, 'Error');
  if (error !== undefined && typeof error !== 'boolean') throw new NomadError(400, `json: cannot unmarshal ${jsonKind(error)} into Go struct field ScalingRequest.Error of type bool`);
  return scaleJob(ctx.rt, {
    namespace: requestNamespace(r.url), id: r.params.id!,
    body: { group, count: typeof count === 'number' ? count : null, message: stringOr(field(body, 'Message')), error: error === true, meta: asObject(field(body, 'Meta')) ?? null },
  }, ctx.namespaces);
}

function evaluate(ctx: NomadContext, r: RouteRequest): unknown {
  const body = r.body.length ? decodeBody(r) : {};
  const jobId = field(body, 'JobID');
  if (jobId !== undefined && jobId !== r.params.id) throw new NomadError(400, 'JobID not same as job name');
  const record = ctx.rt.store.job(requestNamespace(r.url), r.params.id!);
  if (!record) throw new NomadError(500, 'job not found');
  const job = current(record);
  const evaluation = newEvaluation(ctx.rt, { job, triggeredBy: 'job-register' });
  ctx.rt.store.commit('EvaluationUpdated', (tx) => tx.putEval(evaluation));
  ctx.rt.scheduler.enqueue(evaluation.ID);
  const index = ctx.rt.store.index;
  return { EvalID: evaluation.ID, EvalCreateIndex: index, JobModifyIndex: job.JobModifyIndex, Warnings: '', Index: index, LastContact: 0, KnownLeader: true, NextToken: '' };
}
