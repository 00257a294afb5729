/**
 * The `jobs` group. Nomad quirks handled here: check-and-set failures are 500s (see
 * check-index.ts), `/stable` answers only `{"Index"}`, `/deployment` answers `null` when there is
 * none, deployments come in no guaranteed order, and unknown jobs list as `[]` rather than 404.
 * @see https://developer.hashicorp.com/nomad/api-docs/jobs
 */
import type { NomadJob } from '../../wire/nomad-job.ts';
import { list, nullable, num, obj } from '../http/shape.ts';
import { read, seg, write } from './call.ts';
import * as S from './shapes.ts';
import type { NomadTransport } from './transport.ts';
import type { NomadClient, RegisterOptions } from './types.ts';

/** Builds the `jobs` group. */
export function createJobs(transport: NomadTransport): NomadClient['jobs'] {
  const job = (id: string, rest = ''): string => `/v1/job/${seg(id)}${rest}`;
  return {
    register: (spec, opts = {}) => write(transport, { method: 'POST', path: '/v1/jobs', body: registerBody(spec, opts) }, opts, S.registerResponse),
    plan: (spec, opts = {}) =>
      write(transport, { method: 'POST', path: job(spec.ID, '/plan'), body: { Job: spec, Diff: opts.diff ?? true } }, opts, S.planResponse),
    read: (id, opts = {}) => read(transport, job(id), opts, S.job),
    list: (opts = {}) => read(transport, '/v1/jobs', { ...opts, query: { prefix: opts.prefix, meta: opts.meta ? true : undefined } }, list(S.jobListStub)),
    versions: (id, opts = {}) => read(transport, job(id, '/versions'), { ...opts, query: { diffs: opts.diffs ? true : undefined } }, S.versionsResponse),
    revert: (id, version, opts = {}) =>
      write(
        transport,
        {
          method: 'POST',
          path: job(id, '/revert'),
          // JobID must repeat the path's ID. A version tag would be ignored (TaggedVersion is not a
          // field of the server struct), so only numbers are accepted here.
          body: { JobID: id, JobVersion: version, ...(opts.enforcePriorVersion !== undefined ? { EnforcePriorVersion: opts.enforcePriorVersion } : {}) },
        },
        opts,
        S.registerResponse,
      ),
    setStable: async (id, version, stable, opts = {}) => {
      // Docs show `{"JobModifyIndex"}`; the server struct only has `Index`.
      const answer = await write(transport, { method: 'POST', path: job(id, '/stable'), body: { JobID: id, JobVersion: version, Stable: stable } }, opts, obj({ Index: num }));
      return { index: answer.Index };
    },
    deregister: (id, opts = {}) => write(transport, { method: 'DELETE', path: job(id), query: { purge: opts.purge ? true : undefined } }, opts, S.deregisterResponse),
    allocations: (id, opts = {}) => read(transport, job(id, '/allocations'), opts, list(S.allocStub)),
    evaluations: (id, opts = {}) => read(transport, job(id, '/evaluations'), opts, list(S.evaluation)),
    deployments: async (id, opts = {}) => {
      const answer = await read(transport, job(id, '/deployments'), opts, list(S.deployment));
      return { ...answer, value: [...answer.value].sort((a, b) => b.CreateIndex - a.CreateIndex) };
    },
    latestDeployment: (id, opts = {}) => read(transport, job(id, '/deployment'), opts, nullable(S.deployment)),
    summary: (id, opts = {}) => read(transport, job(id, '/summary'), opts, S.jobSummary),
    scaleStatus: (id, opts = {}) => read(transport, job(id, '/scale'), opts, S.scaleStatus),
    scale: (id, group, count, message, opts = {}) =>
      write(transport, { method: 'POST', path: job(id, '/scale'), body: { Count: count, Target: { Group: group }, Message: message } }, opts, S.registerResponse),
    submission: async (id, version, opts = {}) => (await read(transport, job(id, '/submission'), { ...opts, query: { version } }, S.submission)).value,
  };
}

/** `POST /v1/jobs` body. `EnforceIndex` goes with `JobModifyIndex`; `0` there means "must not exist". */
function registerBody(spec: NomadJob, opts: RegisterOptions): Record<string, unknown> {
  const { submission } = opts;
  return {
    Job: spec,
    ...(opts.enforceIndex !== undefined ? { EnforceIndex: true, JobModifyIndex: opts.enforceIndex } : {}),
    ...(opts.preserveCounts ? { PreserveCounts: true } : {}),
    ...(submission
      ? {
          Submission: {
            Source: submission.source,
            Format: submission.format,
            ...(submission.variableFlags ? { VariableFlags: submission.variableFlags } : {}),
            ...(submission.variables !== undefined ? { Variables: submission.variables } : {}),
          },
        }
      : {}),
  };
}
