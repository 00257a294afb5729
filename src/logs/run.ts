/**
 * `drover logs`: reads (and with `follow`, keeps reading) the logs of a job's allocations and
 * reports them as records. Allocations that start while following are picked up from Nomad's
 * event stream (Allocation topic, keyed by the job); one that stops is reported with why.
 */
import { ApiError } from '../clients/api-error.ts';
import { resumableEventStream, type NomadClient } from '../clients/nomad/index.ts';
import { classifyAllocationFailure, summarizeFailure } from '../watch/classify.ts';
import type { NomadAllocListStub } from '../wire/nomad-api.ts';
import { followLog, type FollowFrom } from './follow.ts';
import { boundLine } from './lines.ts';
import type { LogStreams } from './prefix.ts';
import { recordSource, type LogRecord } from './records.ts';
import { matchesAllocation, selectLogSources, sourcesOf, type LogFilters, type LogSource } from './select.ts';
import { readTail } from './tail.ts';

/** Most lines a tail shows per task and stream (`--tail`, and everything of a task started within `--since`). */
export const MAX_TAIL_LINES = 10_000;
/** How long a stopped allocation's stream is still read for its last lines. */
const DRAIN_MS = 1500;

/** Options of {@link runLogs}. */
export interface LogsRun {
  readonly nomad: Pick<NomadClient, 'allocations' | 'events' | 'jobs'>;
  readonly jobId: string;
  /** The job's allocations as listed, with the index to follow the event stream from. */
  readonly allocations: { readonly value: readonly NomadAllocListStub[]; readonly index: number };
  readonly filters: LogFilters;
  readonly streams: LogStreams;
  /** Lines per task and stream from before the start (`--tail`, default 100). */
  readonly tail: number;
  /** `--tail` was given: it bounds tasks started within `--since` too (otherwise they show up to MAX_TAIL_LINES). */
  readonly tailGiven: boolean;
  readonly follow: boolean;
  /** Token values never printed (redacted from lines). */
  readonly secrets: readonly string[];
  readonly signal: AbortSignal;
  readonly emit: (record: LogRecord) => void;
  readonly now: () => number;
}

/** Reads the logs; resolves with how many task logs were read once done (or, following, once `signal` aborts). */
export async function runLogs(run: LogsRun): Promise<{ readonly sources: number }> {
  const sources = selectLogSources(run.allocations.value, run.filters, run.now());
  const types: ('stdout' | 'stderr')[] = run.streams === 'both' ? ['stdout', 'stderr'] : [run.streams];
  if (!run.follow) {
    for (const source of sources) for (const type of types) await printTail(run, source, type);
    return { sources: sources.length };
  }
  const following = new Following(run, types);
  for (const source of sources) following.start(source, 'running');
  following.watchAllocations(run.allocations.index);
  await following.done();
  return { sources: following.count };
}

function tailLength(run: LogsRun, source: LogSource): number {
  return source.startedInWindow && !run.tailGiven ? MAX_TAIL_LINES : run.tail;
}

async function printTail(run: LogsRun, source: LogSource, type: 'stdout' | 'stderr'): Promise<{ from: FollowFrom } | undefined> {
  if (!source.started) {
    run.emit({ ...recordSource(source), type: 'log-note', message: `task ${source.task} has not started: no logs yet` });
    return undefined;
  }
  try {
    const tail = await readTail(run.nomad, { allocId: source.allocId, task: source.task, type }, tailLength(run, source), run.signal);
    for (const line of tail.lines) emitLine(run, source, type, line);
    return { from: tail.whole ? { origin: 'start', offset: tail.nextOffset } : { origin: 'end' } };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      run.emit({ ...recordSource(source), type: 'log-note', message: `no ${type} log (${error.body || 'not found'})` });
      return undefined;
    }
    throw error;
  }
}

function emitLine(run: LogsRun, source: LogSource, stream: 'stdout' | 'stderr', line: string): void {
  run.emit({ ...recordSource(source), type: 'log-line', stream, line: boundLine(line, run.secrets) });
}

/** The followed task logs of a `logs -f`: who is followed, and the event stream that adds and stops them. */
class Following {
  count = 0;
  private readonly followed = new Map<string, { readonly sources: LogSource[]; readonly abort: AbortController; stopped: boolean }>();
  private readonly running = new Set<Promise<void>>();
  /** Aborted by Ctrl-C, or by the first failure that ends the whole command (a refused token). */
  private readonly end = new AbortController();
  private failure: unknown;
  /**
   * Job version by allocation: event-stream allocations come without their job, hence without a
   * version (Nomad's `JobVersion` is a field of list stubs only); a new one is looked up in the list.
   */
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly run: LogsRun,
    private readonly types: readonly ('stdout' | 'stderr')[],
  ) {
    for (const a of run.allocations.value) this.versions.set(a.ID, a.JobVersion);
    const onAbort = (): void => this.end.abort();
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener('abort', onAbort, { once: true });
  }

  /** Follows every stream of `source` (its tail first when it was running before). */
  start(source: LogSource, reason: 'running' | 'new'): void {
    const entry = this.followed.get(source.allocId) ?? { sources: [], abort: new AbortController(), stopped: false };
    this.followed.set(source.allocId, entry);
    if (entry.sources.some((s) => s.task === source.task)) return;
    if (source.started) entry.sources.push(source);
    if (!source.started) return void this.run.emit({ ...recordSource(source), type: 'log-note', message: `task ${source.task} has not started: following once it does` });
    this.count++;
    this.run.emit({ ...recordSource(source), type: 'log-following', reason });
    const signal = AbortSignal.any([this.end.signal, entry.abort.signal]);
    for (const type of this.types) this.track(this.followOne(source, type, reason, signal));
  }

  /** Resolves once Ctrl-C ended the follow and every stream closed; rejects with the failure that ended it. */
  async done(): Promise<void> {
    const end = this.end.signal;
    if (!end.aborted) await new Promise<void>((resolve) => end.addEventListener('abort', () => resolve(), { once: true }));
    while (this.running.size > 0) await Promise.race(this.running);
    if (this.failure) throw this.failure;
  }

  /** Allocation events of the job from `index` on: new allocations are followed, stopped ones reported. */
  watchAllocations(index: number): void {
    const watch = async (): Promise<void> => {
      const stream = resumableEventStream(this.run.nomad, { topics: [{ topic: 'Allocation', key: this.run.jobId }], index: index + 1, signal: this.end.signal });
      for await (const item of stream) {
        if (item.type !== 'events') continue;
        for (const event of item.events) {
          const alloc = event.Payload.Allocation;
          if (alloc && alloc.JobID === this.run.jobId) this.onAllocation(alloc);
        }
      }
    };
    this.track(watch());
  }

  private onAllocation(alloc: NomadAllocListStub): void {
    const entry = this.followed.get(alloc.ID);
    if (entry && !entry.stopped && isTerminal(alloc)) return this.stopped(alloc, entry);
    if (entry?.stopped || isTerminal(alloc)) return;
    if (alloc.DesiredStatus !== 'run' || !Object.values(alloc.TaskStates ?? {}).some((t) => t.StartedAt)) return;
    this.track(this.startNew(alloc));
  }

  /** A task of an allocation started since the follow began (or since it was seen pending): all it wrote is new. */
  private async startNew(event: NomadAllocListStub): Promise<void> {
    if (!this.versions.has(event.ID)) {
      const listed = await this.run.nomad.jobs.allocations(this.run.jobId, { signal: this.end.signal });
      for (const a of listed.value) this.versions.set(a.ID, a.JobVersion);
    }
    const alloc = { ...event, JobVersion: this.versions.get(event.ID) ?? event.JobVersion };
    // New allocations count only when Nomad wants them running, whatever --since said.
    const filters: LogFilters = { ...this.run.filters, sinceMs: undefined };
    if (!matchesAllocation(alloc, filters)) return;
    for (const source of sourcesOf(alloc, filters, this.run.now())) if (source.started) this.start(source, 'new');
  }

  private stopped(alloc: NomadAllocListStub, entry: { readonly sources: LogSource[]; readonly abort: AbortController; stopped: boolean }): void {
    entry.stopped = true;
    const failure = alloc.ClientStatus === 'failed' ? classifyAllocationFailure(alloc) : undefined;
    const why = [alloc.DesiredDescription, failure ? summarizeFailure(failure) : alloc.ClientDescription].filter(Boolean).join('; ');
    for (const source of entry.sources) this.run.emit({ ...recordSource(source), type: 'log-stopped', clientStatus: alloc.ClientStatus, reason: why });
    // The last lines may still be on their way: read them, then let go.
    setTimeout(() => entry.abort.abort(), DRAIN_MS).unref();
  }

  private async followOne(source: LogSource, type: 'stdout' | 'stderr', reason: 'running' | 'new', signal: AbortSignal): Promise<void> {
    // A new allocation is read from its first line; a running one from its tail.
    const start = reason === 'new' ? { from: { origin: 'start', offset: 0 } as FollowFrom } : await printTail(this.run, source, type);
    if (!start || signal.aborted) return;
    await followLog({
      nomad: this.run.nomad, allocId: source.allocId, task: source.task, type, from: start.from, signal,
      onLine: (line) => emitLine(this.run, source, type, line),
      onNote: (message) => this.run.emit({ ...recordSource(source), type: 'log-note', message: `${type}: ${message}` }),
    });
  }

  private track(promise: Promise<void>): void {
    const tracked: Promise<void> = promise
      .catch((error: unknown) => {
        if (this.end.signal.aborted) return;
        this.failure ??= error;
        this.end.abort();
      })
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }
}

function isTerminal(alloc: NomadAllocListStub): boolean {
  return alloc.ClientStatus === 'complete' || alloc.ClientStatus === 'failed' || alloc.ClientStatus === 'lost';
}
