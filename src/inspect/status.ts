import type { NomadAllocListStub, NomadDeployment, NomadJobRead } from '../wire/nomad-api.ts';
import { META } from '../render/context.ts';
import { classifyAllocationFailure } from '../watch/classify.ts';

/** One row of `drover status`: a job as it runs now. Pure data. */
export interface JobStatusRow {
  readonly id: string;
  /** Nomad's job status, `stopped` for a stopped job, `not deployed` for jobs only in jobs/. */
  readonly state: string;
  readonly version?: number;
  readonly release?: string;
  /** "successful (v3)" for the latest deployment, `-` when there is none. */
  readonly deployment: string;
  /** "api 2/2" per group: healthy (or, for batch, finished) allocations over desired. */
  readonly allocations: string;
  /** "api 1/1 promoted" per group with canaries in an active deployment. */
  readonly canaries: string;
  readonly lastFailure: string;
}

const ACTIVE = new Set(['running', 'pending', 'paused', 'initializing', 'blocked', 'unblocking']);

/**
 * Summarizes one owned job from its read, its deployments (any order) and its allocations. The
 * last failure is the more recent of the latest failed deployment's description and the most
 * recent failed allocation's last task event. Pure.
 */
export function summarizeJobStatus(job: NomadJobRead, deployments: readonly NomadDeployment[], allocations: readonly NomadAllocListStub[]): JobStatusRow {
  const sorted = [...deployments].sort((a, b) => b.CreateIndex - a.CreateIndex);
  const latest = sorted[0];
  return {
    id: job.ID,
    state: job.Stop ? 'stopped' : job.Status,
    version: job.Version,
    release: job.Meta?.[META.release] ?? '-',
    deployment: latest ? `${latest.Status} (v${latest.JobVersion})` : '-',
    allocations: describeAllocations(job, allocations, latest && ACTIVE.has(latest.Status) ? latest : undefined),
    canaries: latest && ACTIVE.has(latest.Status) ? describeCanaries(latest) : '-',
    lastFailure: lastFailure(sorted, allocations),
  };
}

/** A row for a job in jobs/ that Nomad does not run (or runs for someone else). */
export function notDeployedRow(id: string, state = 'not deployed'): JobStatusRow {
  return { id, state, deployment: '-', allocations: '-', canaries: '-', lastFailure: '-' };
}

function describeAllocations(job: NomadJobRead, allocations: readonly NomadAllocListStub[], active: NomadDeployment | undefined): string {
  const parts = job.TaskGroups.map((group) => {
    const mine = allocations.filter((a) => a.TaskGroup === group.Name && a.DesiredStatus === 'run');
    if (job.Type === 'batch' || job.Type === 'sysbatch') {
      if (mine.length === 0) return `${group.Name} -`;
      return `${group.Name} ${mine.filter((a) => a.ClientStatus === 'complete').length}/${mine.length} done`;
    }
    // Canaries of a deployment not promoted yet run beside the desired count; shown apart.
    const promoted = active?.TaskGroups[group.Name]?.Promoted ?? true;
    const isCanary = (a: NomadAllocListStub) => !promoted && a.DeploymentStatus?.Canary === true && a.JobVersion === active?.JobVersion;
    const canaries = mine.filter(isCanary).length;
    // System jobs run one allocation per eligible node; `Count` says nothing about how many.
    const desired = job.Type === 'system' ? mine.length : job.Stop ? 0 : group.Count;
    const healthy = mine.filter((a) => !isCanary(a) && isHealthy(a)).length;
    return `${group.Name} ${healthy}/${desired}${canaries ? ` +${canaries} canary` : ''}`;
  });
  return parts.join(', ') || '-';
}

/** Running, and healthy by its deployment's verdict when it belongs to one (null = not decided yet). */
function isHealthy(alloc: NomadAllocListStub): boolean {
  return alloc.ClientStatus === 'running' && (alloc.DeploymentStatus === null || alloc.DeploymentStatus.Healthy === true);
}

function describeCanaries(deployment: NomadDeployment): string {
  const groups = Object.entries(deployment.TaskGroups)
    .filter(([, g]) => g.DesiredCanaries > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (groups.length === 0) return '-';
  return groups.map(([name, g]) => `${name} ${g.PlacedCanaries.length}/${g.DesiredCanaries} ${g.Promoted ? 'promoted' : 'not promoted'}`).join(', ');
}

/**
 * The failed deployment's description, with the allocation failure that explains it when one of
 * the same version is known; a more recent allocation failure of another version on its own.
 */
function lastFailure(deployments: readonly NomadDeployment[], allocations: readonly NomadAllocListStub[]): string {
  const deployment = deployments.find((d) => d.Status === 'failed');
  const failed = allocations
    .map((alloc) => ({ alloc, reason: describeAllocationFailure(alloc) }))
    .filter((f): f is { alloc: NomadAllocListStub; reason: string } => f.reason !== undefined)
    .sort((a, b) => b.alloc.ModifyIndex - a.alloc.ModifyIndex)[0];
  if (!deployment) return failed?.reason ?? '-';
  const described = `deployment v${deployment.JobVersion}: ${deployment.StatusDescription}`;
  if (!failed) return described;
  if (failed.alloc.JobVersion === deployment.JobVersion) return `${described} — ${failed.reason}`;
  return failed.alloc.ModifyIndex > deployment.ModifyIndex ? failed.reason : described;
}

/**
 * Why an allocation failed: the unambiguous failure event the deploy watcher also looks for
 * (driver, setup, template, restarts exhausted), else, for a failed allocation, its failed task's
 * last event. `undefined` for allocations that did not fail.
 */
export function describeAllocationFailure(alloc: NomadAllocListStub): string | undefined {
  const classified = classifyAllocationFailure(alloc);
  if (classified) return `${alloc.Name} task ${classified.task}: ${classified.eventType}: ${classified.message}`;
  if (alloc.ClientStatus !== 'failed') return undefined;
  const tasks = Object.entries(alloc.TaskStates ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const [task, state] = tasks.find(([, s]) => s.Failed) ?? tasks[0] ?? [];
  const event = state?.Events.at(-1);
  if (!task || !event) return `${alloc.Name}: ${alloc.ClientDescription || 'failed'}`;
  return `${alloc.Name} task ${task}: ${event.Type}: ${event.DisplayMessage || event.Message || '(no message)'}`;
}

/** Rows as an aligned table with a header; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}
