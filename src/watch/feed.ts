import { resumableEventStream, type NomadClient } from '../clients/nomad/index.ts';
import { sleep } from '../clients/retry.ts';
import type { Report } from '../report/events.ts';
import type { NomadEvent } from '../wire/nomad-api.ts';
import type { Fact } from './state.ts';

type Listener = (fact: Fact) => void;

/**
 * How facts arrive. `stream`: the event stream, blocking queries when it is refused. `poll`:
 * blocking queries only. `interval`: plain reads of each job every second — the naive watcher
 * other tools use, kept only so benchmarks can compare; never the default.
 */
export type FactFeedMode = 'stream' | 'poll' | 'interval';

/** Delivers facts about the jobs being watched, from Nomad's event stream or, failing that, blocking queries. */
export interface FactFeed {
  /** Starts delivering facts about `jobId`; returns an unsubscribe function. */
  subscribe(jobId: string, listener: Listener): () => void;
  /** Reads the job's evaluations, deployments and allocations once and delivers them. */
  refresh(jobId: string): Promise<void>;
  /** Requests made so far (stream connections and reads), for benchmarks. */
  readonly requests: () => number;
}

export interface FactFeedOptions {
  readonly signal: AbortSignal;
  readonly report: Report;
  /** @default "stream" */
  readonly mode?: FactFeedMode;
  /** Period of `interval` reads. @default 1000 */
  readonly intervalMs?: number;
  /**
   * The jobs of this deploy: the stream subscribes to `Topic:<job ID>` for each (Nomad matches the
   * key against the events' FilterKeys, which carry the job ID), so only their events travel.
   * @default every job of the namespace
   */
  readonly jobIds?: readonly string[];
  /** Raft index to start the stream from (take it before registering, so nothing is missed). @default the oldest batch Nomad still buffers */
  readonly index?: number;
}

/**
 * One event-stream subscription (Deployment, Allocation and Evaluation topics) shared by every job
 * in flight, filtered here by job ID. After a reconnect every job is re-read, because Nomad may
 * no longer buffer what happened in between. When the stream is refused (old Nomad, ACL without
 * the topic), the feed falls back to blocking queries per job.
 */
export function startFactFeed(nomad: NomadClient, options: FactFeedOptions): FactFeed {
  const listeners = new Map<string, Set<Listener>>();
  let requests = 0;
  const mode = options.mode ?? 'stream';
  let polling = mode !== 'stream';
  const pollers = new Map<string, AbortController>();

  const deliver = (jobId: string, fact: Fact) => listeners.get(jobId)?.forEach((listener) => listener(fact));
  const refresh = async (jobId: string) => {
    requests += 3;
    const [evaluations, deployments, allocations] = await Promise.all([
      nomad.jobs.evaluations(jobId, { signal: options.signal }),
      nomad.jobs.deployments(jobId, { signal: options.signal }),
      nomad.jobs.allocations(jobId, { signal: options.signal }),
    ]);
    for (const evaluation of evaluations.value) deliver(jobId, { kind: 'evaluation', evaluation });
    for (const deployment of deployments.value) deliver(jobId, { kind: 'deployment', deployment });
    for (const allocation of allocations.value) deliver(jobId, { kind: 'allocation', allocation });
  };
  const startPolling = (jobId: string) => {
    if (pollers.has(jobId)) return;
    const controller = new AbortController();
    const stop = () => controller.abort(options.signal.reason);
    options.signal.addEventListener('abort', stop, { once: true });
    controller.signal.addEventListener('abort', () => options.signal.removeEventListener('abort', stop), { once: true });
    pollers.set(jobId, controller);
    if (mode === 'interval') void readEvery(options.intervalMs ?? 1000, controller.signal, () => refresh(jobId));
    else void pollJob(nomad, jobId, controller.signal, (fact) => deliver(jobId, fact), () => requests++);
  };

  if (!polling) {
    requests++;
    void (async () => {
      try {
        const stream = resumableEventStream(nomad, {
          topics: streamTopics(options.jobIds),
          ...(options.index ? { index: options.index } : {}),
          signal: options.signal,
          reconnect: { retries: 5, baseDelayMs: 100, maxDelayMs: 2000 },
          onReconnect: (r) => {
            requests++;
            options.report({ type: 'watch-reconnected', index: r.index, attempt: r.attempt, reason: r.error?.message ?? 'stream closed' });
            for (const jobId of listeners.keys()) void refresh(jobId).catch(() => undefined);
          },
        });
        for await (const item of stream) {
          if (item.type === 'events') for (const event of item.events) dispatch(event, deliver);
        }
      } catch (error) {
        if (options.signal.aborted) return;
        polling = true;
        options.report({ type: 'watch-fallback', reason: error instanceof Error ? error.message : String(error) });
        for (const jobId of listeners.keys()) startPolling(jobId);
      }
    })();
  }

  return {
    subscribe(jobId, listener) {
      const set = listeners.get(jobId) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(jobId, set);
      if (polling) startPolling(jobId);
      return () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(jobId);
          pollers.get(jobId)?.abort();
          pollers.delete(jobId);
        }
      };
    },
    refresh,
    requests: () => requests,
  };
}

function streamTopics(jobIds: readonly string[] | undefined): { topic: string; key?: string }[] {
  const topics = ['Deployment', 'Allocation', 'Evaluation'];
  if (!jobIds?.length) return topics.map((topic) => ({ topic }));
  return topics.flatMap((topic) => [...jobIds].sort().map((key) => ({ topic, key })));
}

function dispatch(event: NomadEvent, deliver: (jobId: string, fact: Fact) => void): void {
  const { Deployment, Allocation, Evaluation } = event.Payload;
  if (event.Topic === 'Deployment' && Deployment) deliver(Deployment.JobID, { kind: 'deployment', deployment: Deployment });
  else if (event.Topic === 'Allocation' && Allocation) deliver(Allocation.JobID, { kind: 'allocation', allocation: Allocation });
  else if (event.Topic === 'Evaluation' && Evaluation) deliver(Evaluation.JobID, { kind: 'evaluation', evaluation: Evaluation });
}

/** The naive watcher: wait, read everything, repeat; a failed read is simply tried again next time. */
async function readEvery(periodMs: number, signal: AbortSignal, read: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    await sleep(periodMs, signal).catch(() => undefined);
    if (!signal.aborted) await read().catch(() => undefined);
  }
}

/**
 * The index of the next blocking query after one answered `answered`. A fresh Nomad answers
 * X-Nomad-Index 0 for tables never written (deployments of a new job), and `index=0` does not
 * block: without the floor of 1, poll mode would re-ask as fast as the network allows. An index
 * that goes backwards (a server restored from a snapshot) restarts with one non-blocking read.
 */
export function nextBlockingIndex(previous: number, answered: number): number {
  const floored = Math.max(answered, 1);
  return floored < previous ? 0 : floored;
}

/** Blocking queries on the job's evaluations, deployments and allocations, each index moving independently. */
async function pollJob(nomad: NomadClient, jobId: string, signal: AbortSignal, deliver: (fact: Fact) => void, count: () => void): Promise<void> {
  const loop = async <T>(read: (index: number) => Promise<{ value: T[]; index: number }>, toFact: (item: T) => Fact) => {
    let index = 0;
    while (!signal.aborted) {
      try {
        count();
        const result = await read(index);
        for (const item of result.value) deliver(toFact(item));
        index = nextBlockingIndex(index, result.index);
      } catch {
        if (signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const opts = (index: number) => ({ index, wait: '30s' as const, signal });
  await Promise.all([
    loop((i) => nomad.jobs.evaluations(jobId, opts(i)), (evaluation) => ({ kind: 'evaluation', evaluation })),
    loop((i) => nomad.jobs.deployments(jobId, opts(i)), (deployment) => ({ kind: 'deployment', deployment })),
    loop((i) => nomad.jobs.allocations(jobId, opts(i)), (allocation) => ({ kind: 'allocation', allocation })),
  ]);
}
