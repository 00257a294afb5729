/**
 * drover's Nomad client: a narrow, typed view of the Nomad HTTP API on axios. See types.ts for
 * the surface, events.ts and resumable.ts for the event stream.
 * @see https://developer.hashicorp.com/nomad/api-docs
 */
import { list, str, type Shape } from '../http/shape.ts';
import { read } from './call.ts';
import { createAgentReads } from './agent.ts';
import { createAllocations, createDeployments, createEvaluations } from './deployments.ts';
import { openEventStream } from './events.ts';
import { createJobs } from './jobs.ts';
import * as S from './shapes.ts';
import { createNomadTransport } from './transport.ts';
import type { NomadClient, NomadClientOptions } from './types.ts';

export type * from './types.ts';
export type { EventStreamOptions, EventTopic, NomadEventStream, NomadEventStreamItem } from './events.ts';
export { parseEventLine } from './events.ts';
export { parseLogFrame, type LogsOptions, type NomadLogFrame, type NomadLogStream } from './logs.ts';
export { resumableEventStream, type EventStreamReconnect, type ResumableEventStreamOptions } from './resumable.ts';
export { NomadCheckIndexConflict, parseCheckIndexRejection, type CheckIndexReason } from './check-index.ts';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Creates a Nomad client for one region. Nothing is contacted until the first call.
 *
 * @example
 * const nomad = createNomadClient({ address: 'https://nomad.qa.internal:4646', token, namespace: 'qa' });
 * const plan = await nomad.jobs.plan(job, { diff: true });
 * await nomad.jobs.register(job, { enforceIndex: plan.JobModifyIndex }); // NomadCheckIndexConflict if someone deployed since
 * const { value, index } = await nomad.jobs.read('api');
 * await nomad.jobs.read('api', { index, wait: '30s', signal }); // blocks until the job changes
 */
export function createNomadClient(options: NomadClientOptions): NomadClient {
  const transport = createNomadTransport({
    ...options,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry ?? {},
  });
  // Agent-level reads are not blocking queries, so they answer the value alone.
  const plain = async <T>(path: string, opts: { readonly signal?: AbortSignal; readonly timeoutMs?: number }, shape: Shape<T>): Promise<T> =>
    (await read(transport, path, opts, shape)).value;
  return {
    jobs: createJobs(transport),
    deployments: createDeployments(transport),
    evaluations: createEvaluations(transport),
    allocations: createAllocations(transport),
    events: { stream: (opts) => openEventStream(transport, opts) },
    // `GET /v1/status/leader` answers a bare JSON string, `""` while there is no leader.
    status: { leader: (opts = {}) => plain('/v1/status/leader', opts, str) },
    regions: (opts = {}) => plain('/v1/regions', opts, list(str)),
    namespaces: (opts = {}) => plain('/v1/namespaces', opts, list(S.namespace)),
    metrics: (opts = {}) => plain('/v1/metrics', opts, S.metrics),
    ...createAgentReads(transport),
    close: () => transport.close(),
  };
}
