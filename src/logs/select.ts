/**
 * Which allocations and tasks `drover logs` reads, and how each one is named on screen. Pure: the
 * allocation stubs and the clock come in, a sorted list of log sources goes out.
 */
import type { NomadAllocListStub, NomadTaskState } from '../wire/nomad-api.ts';

/** The filters of `drover logs`. Every one that is set must match. */
export interface LogFilters {
  readonly group?: string;
  readonly task?: string;
  /** An allocation ID or a prefix of it (as `nomad alloc logs` takes). */
  readonly alloc?: string;
  readonly canary?: boolean;
  readonly version?: number;
  /** Milliseconds: only allocations whose task ran during the last `sinceMs` (see {@link ranSince}). */
  readonly sinceMs?: number;
}

/** One task of one allocation whose logs are read. */
export interface LogSource {
  readonly allocId: string;
  /** `api.api[2]`, Nomad's allocation name. */
  readonly allocName: string;
  readonly group: string;
  /** The `[2]` of the allocation name; -1 when the name has none. */
  readonly index: number;
  readonly task: string;
  readonly version: number;
  readonly canary: boolean;
  /** Whether the task has started (a task that never did has no logs: Nomad answers 404). */
  readonly started: boolean;
  /** The task started within `sinceMs`: everything it wrote is newer than the window's start. */
  readonly startedInWindow: boolean;
  /** Several tasks of this allocation are shown and this one is not named after its group: the task name goes into the prefix. */
  readonly showTask: boolean;
}

/**
 * The log sources of `allocations` that match `filters`, sorted by group, index, version, task.
 * Without `alloc`, `version` or `sinceMs`, only allocations Nomad wants running (`DesiredStatus:
 * run`) count: the current ones, not those a newer version replaced.
 */
export function selectLogSources(allocations: readonly NomadAllocListStub[], filters: LogFilters, nowMs: number): LogSource[] {
  const sources = allocations.filter((a) => matchesAllocation(a, filters)).flatMap((a) => sourcesOf(a, filters, nowMs));
  return sources.sort(compareSources);
}

/** Whether an allocation (not yet its tasks) matches the filters. Used for allocations that appear while following, too. */
export function matchesAllocation(alloc: NomadAllocListStub, filters: LogFilters): boolean {
  if (filters.alloc !== undefined && !alloc.ID.startsWith(filters.alloc)) return false;
  if (filters.group !== undefined && alloc.TaskGroup !== filters.group) return false;
  if (filters.version !== undefined && alloc.JobVersion !== filters.version) return false;
  if (filters.canary !== undefined && isCanary(alloc) !== filters.canary) return false;
  const current = filters.alloc !== undefined || filters.version !== undefined || filters.sinceMs !== undefined || alloc.DesiredStatus === 'run';
  return current;
}

/** The matching tasks of one allocation (main and sidecar tasks alike), sorted by name. */
export function sourcesOf(alloc: NomadAllocListStub, filters: LogFilters, nowMs: number): LogSource[] {
  const tasks = Object.entries(alloc.TaskStates ?? {})
    .filter(([name]) => filters.task === undefined || name === filters.task)
    .filter(([, state]) => filters.sinceMs === undefined || ranSince(state, nowMs - filters.sinceMs))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // The task named after its group is the group's own: it goes unnamed, its siblings are named.
  const several = Object.keys(alloc.TaskStates ?? {}).length > 1 && filters.task === undefined;
  return tasks.map(([task, state]) => ({
    allocId: alloc.ID,
    allocName: alloc.Name,
    group: alloc.TaskGroup,
    index: allocIndex(alloc.Name),
    task,
    version: alloc.JobVersion,
    canary: isCanary(alloc),
    started: Boolean(state.StartedAt),
    startedInWindow: filters.sinceMs !== undefined && Boolean(state.StartedAt) && Date.parse(state.StartedAt ?? '') >= nowMs - filters.sinceMs,
    showTask: several && task !== alloc.TaskGroup,
  }));
}

/**
 * The task was running at some moment since `fromMs`: it is running now, or it finished after
 * `fromMs`. A task that never started did not run.
 */
export function ranSince(state: Pick<NomadTaskState, 'State' | 'StartedAt' | 'FinishedAt'>, fromMs: number): boolean {
  if (!state.StartedAt) return false;
  if (state.State !== 'dead' || !state.FinishedAt) return true;
  return Date.parse(state.FinishedAt) >= fromMs;
}

/** `api.api[2]` → 2. */
export function allocIndex(name: string): number {
  const match = /\[(\d+)\]$/.exec(name);
  return match ? Number(match[1]) : -1;
}

function isCanary(alloc: NomadAllocListStub): boolean {
  return alloc.DeploymentStatus?.Canary === true;
}

function compareSources(a: LogSource, b: LogSource): number {
  return cmp(a.group, b.group) || a.index - b.index || a.version - b.version || cmp(a.task, b.task) || cmp(a.allocId, b.allocId);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
