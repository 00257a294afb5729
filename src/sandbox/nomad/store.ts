import type { SandboxClock } from '../types.ts';
import { toJson, unixNanos } from '../json.ts';
import { encodeAllocation, encodeDeployment, encodeEvaluation, current } from './encode.ts';
import { EventBroker, type StreamEvent } from './events.ts';
import { type Allocation, type Deployment, type Evaluation, type JobObject, type JobRecord, isTerminal } from './model.ts';
import { updateDeploymentWithAlloc, type CountedAlloc } from './deployment-counters.ts';

/** Tables whose indexes blocking queries watch. */
export type Table = 'jobs' | 'evals' | 'allocs' | 'deployments';

/**
 * The raft operation behind a commit; it becomes the `Type` of every event the commit emits
 * (nomad.md §7). `JobStability` emits no events: Nomad maps no event type to it.
 */
export type RaftType =
  | 'JobRegistered'
  | 'JobDeregistered'
  | 'EvaluationUpdated'
  | 'AllocationUpdated'
  | 'AllocationUpdateDesiredStatus'
  | 'PlanResult'
  | 'DeploymentStatusUpdate'
  | 'DeploymentPromotion'
  | 'DeploymentAllocHealth'
  | 'JobStability';

type Changed =
  | { kind: 'job'; job: JobObject; deleted?: boolean }
  | { kind: 'eval'; evaluation: Evaluation }
  | { kind: 'alloc'; alloc: Allocation }
  | { kind: 'deployment'; deployment: Deployment };

/** The in-memory state: one raft-like index that increases on every write. */
export class NomadStore {
  index = 1;
  /** Index of each table's last write; 0 until the first, which reads then carry (Nomad 2.0.5 does). */
  readonly tableIndex: Record<Table, number> = { jobs: 0, evals: 0, allocs: 0, deployments: 0 };
  readonly jobs = new Map<string, JobRecord>();
  readonly evals = new Map<string, Evaluation>();
  readonly allocs = new Map<string, Allocation>();
  readonly deployments = new Map<string, Deployment>();
  /** What each allocation has already contributed to its deployment's counters. */
  readonly counted = new Map<string, CountedAlloc>();
  private waiters = new Set<{ tables: readonly Table[]; wake: () => void }>();

  constructor(
    readonly clock: SandboxClock,
    readonly broker: EventBroker,
  ) {}

  /** Key of a job in {@link jobs}. */
  static key(namespace: string, id: string): string {
    return `${namespace}\u0000${id}`;
  }

  /** The job record, if registered (and not purged). */
  job(namespace: string, id: string): JobRecord | undefined {
    return this.jobs.get(NomadStore.key(namespace, id));
  }

  /** Allocations of a job ID in a namespace, oldest first. */
  allocsOf(namespace: string, jobId: string): Allocation[] {
    return [...this.allocs.values()].filter((a) => a.Namespace === namespace && a.JobID === jobId);
  }

  /** Evaluations of a job ID in a namespace, oldest first. */
  evalsOf(namespace: string, jobId: string): Evaluation[] {
    return [...this.evals.values()].filter((e) => e.Namespace === namespace && e.JobID === jobId);
  }

  /** Deployments of a job ID in a namespace, oldest first. */
  deploymentsOf(namespace: string, jobId: string): Deployment[] {
    return [...this.deployments.values()].filter((d) => d.Namespace === namespace && d.JobID === jobId);
  }

  /** Applies `fn` as one raft entry: bumps the index, stamps modify indexes, emits events, wakes watchers. */
  commit<T>(type: RaftType, fn: (tx: Txn) => T): T {
    const tx = new Txn(this, this.index + 1, this.clock.now());
    const result = fn(tx);
    if (tx.isEmpty()) return result;
    this.index = tx.index;
    tx.finish();
    for (const table of tx.tables) this.tableIndex[table] = tx.index;
    if (type !== 'JobStability') this.broker.publish({ index: tx.index, events: tx.events(type) });
    this.wake(tx.tables);
    return result;
  }

  /** Resolves at the next commit touching one of `tables`, or after `timeoutMs` of sandbox time. */
  waitForChange(tables: readonly Table[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { tables, wake: () => done() };
      const cancelTimer = this.clock.setTimer(timeoutMs, () => done());
      const done = (): void => {
        this.waiters.delete(waiter);
        cancelTimer();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Forgets all state (sandbox reset); open blocking queries return. */
  reset(): void {
    for (const map of [this.jobs, this.evals, this.allocs, this.deployments, this.counted]) map.clear();
    this.broker.clear();
    this.index += 1;
    for (const table of Object.keys(this.tableIndex) as Table[]) this.tableIndex[table] = this.index;
    this.wake(['jobs', 'evals', 'allocs', 'deployments']);
  }

  private wake(tables: ReadonlySet<Table> | readonly Table[]): void {
    const touched = new Set(tables);
    for (const waiter of [...this.waiters]) if (waiter.tables.some((t) => touched.has(t))) waiter.wake();
  }
}

/** One write transaction; every put stamps `ModifyIndex` with the transaction's index. */
export class Txn {
  readonly tables = new Set<Table>();
  private readonly changed = new Map<string, Changed>();
  private readonly touchedJobs = new Set<string>();

  constructor(
    readonly store: NomadStore,
    readonly index: number,
    readonly now: number,
  ) {}

  /** Stores `job` as the newest version (new version) or as an update of the current one. */
  putJob(job: JobObject, asNewVersion: boolean): void {
    const key = NomadStore.key(job.Namespace, job.ID);
    let record = this.store.jobs.get(key);
    if (!record) {
      record = { namespace: job.Namespace, id: job.ID, versions: [], submissions: new Map(), scalingEvents: new Map() };
      this.store.jobs.set(key, record);
    }
    job.ModifyIndex = this.index;
    if (asNewVersion) record.versions.push(job);
    this.markJob(job);
    this.touchedJobs.add(key);
  }

  /** Records a change of an existing job version object (Stable, Status). */
  touchJob(job: JobObject): void {
    job.ModifyIndex = this.index;
    this.markJob(job);
  }

  /** Purges a job and all its versions. */
  deleteJob(record: JobRecord): void {
    this.store.jobs.delete(NomadStore.key(record.namespace, record.id));
    this.tables.add('jobs');
    this.changed.set(`job:${record.namespace}:${record.id}`, { kind: 'job', job: current(record), deleted: true });
  }

  /** Inserts or updates an evaluation. */
  putEval(evaluation: Evaluation): void {
    if (!this.store.evals.has(evaluation.ID)) evaluation.CreateIndex = this.index;
    evaluation.ModifyIndex = this.index;
    evaluation.ModifyTime = unixNanos(this.now);
    this.store.evals.set(evaluation.ID, evaluation);
    this.tables.add('evals');
    this.changed.set(`eval:${evaluation.ID}`, { kind: 'eval', evaluation });
    this.touchedJobs.add(NomadStore.key(evaluation.Namespace, evaluation.JobID));
  }

  /** Inserts or updates an allocation, keeping its deployment's counters in step. */
  putAlloc(alloc: Allocation): void {
    if (!this.store.allocs.has(alloc.ID)) alloc.CreateIndex = this.index;
    alloc.ModifyIndex = this.index;
    alloc.ModifyTime = unixNanos(this.now);
    this.store.allocs.set(alloc.ID, alloc);
    this.tables.add('allocs');
    this.changed.set(`alloc:${alloc.ID}`, { kind: 'alloc', alloc });
    this.touchedJobs.add(NomadStore.key(alloc.Namespace, alloc.JobID));
    const deployment = updateDeploymentWithAlloc(this.store, alloc, this.now);
    if (deployment) this.putDeployment(deployment);
  }

  /** Inserts or updates a deployment. */
  putDeployment(deployment: Deployment): void {
    if (!this.store.deployments.has(deployment.ID)) deployment.CreateIndex = this.index;
    deployment.ModifyIndex = this.index;
    deployment.ModifyTime = unixNanos(this.now);
    this.store.deployments.set(deployment.ID, deployment);
    this.tables.add('deployments');
    this.changed.set(`deployment:${deployment.ID}`, { kind: 'deployment', deployment });
  }

  isEmpty(): boolean {
    return this.changed.size === 0;
  }

  /** Recomputes the status of every job this transaction touched (Nomad's `setJobStatus`). */
  finish(): void {
    for (const key of this.touchedJobs) {
      const record = this.store.jobs.get(key);
      if (!record) continue;
      const job = current(record);
      const status = jobStatus(job, this.store.allocsOf(job.Namespace, job.ID), this.store.evalsOf(job.Namespace, job.ID));
      if (status === job.Status && job.CreateIndex !== this.index) continue;
      job.Status = status;
      this.touchJob(job);
    }
  }

  /** The events of this transaction, each serialized with the final state of its object. */
  events(type: string): StreamEvent[] {
    return [...this.changed.values()].map((change) => toEvent(change, type, this.index));
  }

  private markJob(job: JobObject): void {
    this.tables.add('jobs');
    this.changed.set(`job:${job.Namespace}:${job.ID}`, { kind: 'job', job });
  }
}

/** Nomad's `getJobStatus`: running with a live alloc, pending with a live eval, else dead. */
export function jobStatus(job: JobObject, allocs: readonly Allocation[], evals: readonly Evaluation[]): JobObject['Status'] {
  if (allocs.some((a) => !isTerminal(a))) return 'running';
  if (evals.some((e) => e.Status === 'pending' || e.Status === 'blocked')) return 'pending';
  if (job.Type === 'system') return job.Stop ? 'dead' : 'running';
  if (evals.length > 0 || allocs.length > 0) return 'dead';
  if (job.Periodic || job.ParameterizedJob) return job.Stop ? 'dead' : 'running';
  return 'pending';
}

function toEvent(change: Changed, type: string, index: number): StreamEvent {
  const base = (topic: string, key: string, namespace: string, filterKeys: string[] | null, payload: object): StreamEvent => ({
    topic,
    key,
    namespace,
    filterKeys: filterKeys ?? [],
    json: toJson({ Topic: topic, Type: type, Key: key, Namespace: namespace, FilterKeys: filterKeys, Index: index, Payload: payload }),
  });
  switch (change.kind) {
    case 'job':
      return base('Job', change.job.ID, change.job.Namespace, null, change.deleted ? { Job: change.job, Deleted: true } : { Job: change.job });
    case 'eval': {
      const e = change.evaluation;
      return base('Evaluation', e.ID, e.Namespace, [e.JobID, e.DeploymentID], { Evaluation: encodeEvaluation(e) });
    }
    case 'alloc': {
      const a = change.alloc;
      // Allocation payloads are sent without the job (nomad.md §7).
      return base('Allocation', a.ID, a.Namespace, [a.JobID, a.DeploymentID], { Allocation: encodeAllocation(a, false) });
    }
    case 'deployment': {
      const d = change.deployment;
      return base('Deployment', d.ID, d.Namespace, [d.JobID], { Deployment: encodeDeployment(d) });
    }
  }
}
