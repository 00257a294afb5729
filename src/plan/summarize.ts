import { parseNomadWarnings } from './nomad-warnings.ts';
import { describePlacementFailure } from '../watch/decide.ts';
import type { NomadDesiredUpdates, NomadDiffType, NomadFieldDiff, NomadJobDiff, NomadJobPlanResponse, NomadObjectDiff, NomadTaskGroupDiff } from '../wire/nomad-api.ts';

/** What registering the job would do to it, from the diff's `Type`. */
export type JobChange = 'create' | 'update' | 'none';
/** What registering the job would do to one group. */
export type GroupChange = 'create' | 'update' | 'destroy' | 'none';

/** One group of a plan: the scheduler's intended allocation changes and the spec change behind them. */
export interface GroupPlanSummary {
  readonly name: string;
  readonly change: GroupChange;
  readonly place: number;
  readonly destructive: number;
  readonly inPlace: number;
  readonly canary: number;
  readonly stop: number;
  readonly migrate: number;
  readonly ignore: number;
  /** From the group diff's `Count` field; `null` ends for an added or removed group. */
  readonly count?: { readonly from: number | null; readonly to: number | null };
  /** Why placements would fail, in words (from `FailedTGAllocs`). */
  readonly placementFailure?: string;
}

/** Nomad's plan of one job, boiled down to what a reviewer needs. Pure data, JSON-friendly. */
export interface JobPlanSummary {
  readonly change: JobChange;
  readonly diffType: NomadDiffType | null;
  /** Pass as `enforceIndex` when registering: the plan holds only while the job stays at it. */
  readonly jobModifyIndex: number;
  readonly groups: readonly GroupPlanSummary[];
  /** Changed fields as `path: old → new`, job first, then groups and tasks, in diff order. */
  readonly fields: readonly string[];
  /** Nomad's warnings, one per line. */
  readonly warnings: readonly string[];
}

const NO_UPDATES: NomadDesiredUpdates = {
  Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0, Disconnect: 0, Reconnect: 0, RescheduleNow: 0, RescheduleLater: 0,
};

/**
 * Summarizes a `POST /v1/job/:id/plan` answer (asked with `Diff: true`). Groups are the union of
 * the diff's and the scheduler's (`DesiredTGUpdates`), sorted by name. Pure.
 */
export function summarizeJobPlan(plan: NomadJobPlanResponse): JobPlanSummary {
  const updates = plan.Annotations?.DesiredTGUpdates ?? {};
  const diffGroups = new Map((plan.Diff?.TaskGroups ?? []).map((g) => [g.Name, g]));
  const names = [...new Set([...Object.keys(updates), ...diffGroups.keys()])].sort(compare);
  const groups = names.map((name) => summarizeGroup(name, updates[name] ?? NO_UPDATES, diffGroups.get(name), plan));
  return {
    change: jobChange(plan),
    diffType: plan.Diff?.Type ?? null,
    jobModifyIndex: plan.JobModifyIndex,
    groups,
    // A new job's diff lists every field as added: nothing a reviewer would read.
    fields: plan.Diff?.Type === 'Edited' ? changedFields(plan.Diff) : [],
    warnings: parseNomadWarnings(plan.Warnings),
  };
}

/** True when registering would change the spec or any allocation (Nomad's `job plan` exit 1). */
export function hasChanges(summary: JobPlanSummary): boolean {
  return summary.change !== 'none' || summary.groups.some(changesAllocations);
}

/** True when the scheduler would place, stop, replace, update or migrate anything in the group. */
export function changesAllocations(group: GroupPlanSummary): boolean {
  return group.place + group.destructive + group.inPlace + group.canary + group.stop + group.migrate > 0;
}

function jobChange(plan: NomadJobPlanResponse): JobChange {
  switch (plan.Diff?.Type) {
    case 'Added':
      return 'create';
    case 'Edited':
    case 'Deleted':
      return 'update';
    case 'None':
      return 'none';
    default:
      // Without a diff, a job Nomad has never seen has JobModifyIndex 0.
      return plan.JobModifyIndex === 0 ? 'create' : 'none';
  }
}

function summarizeGroup(name: string, u: NomadDesiredUpdates, diff: NomadTaskGroupDiff | undefined, plan: NomadJobPlanResponse): GroupPlanSummary {
  const count = diff?.Fields.find((f) => f.Name === 'Count');
  const failed = plan.FailedTGAllocs?.[name];
  return {
    name,
    change: groupChange(diff?.Type),
    place: u.Place,
    destructive: u.DestructiveUpdate,
    inPlace: u.InPlaceUpdate,
    canary: u.Canary,
    stop: u.Stop,
    migrate: u.Migrate,
    ignore: u.Ignore,
    ...(count ? { count: { from: toCount(count.Old), to: toCount(count.New) } } : {}),
    ...(failed ? { placementFailure: `${failed.CoalescedFailures + 1} allocation${failed.CoalescedFailures ? 's' : ''} cannot be placed: ${describePlacementFailure(failed)}` } : {}),
  };
}

function groupChange(type: NomadDiffType | undefined): GroupChange {
  if (type === 'Added') return 'create';
  if (type === 'Deleted') return 'destroy';
  if (type === 'Edited') return 'update';
  return 'none';
}

/** Diff values are strings; an absent side is `""`. */
function toCount(value: string): number | null {
  return value === '' ? null : Number(value);
}

/** Flattens a job diff into `Group api › Task api › Config[image]: "a" → "b"` lines. */
export function changedFields(diff: NomadJobDiff): string[] {
  const lines = [...fieldLines('', diff.Fields), ...objectLines('', diff.Objects)];
  for (const group of diff.TaskGroups) {
    if (group.Type === 'None') continue;
    if (group.Type !== 'Edited') {
      lines.push(`Group ${group.Name}: ${group.Type.toLowerCase()}`);
      continue;
    }
    const at = `Group ${group.Name} › `;
    lines.push(...fieldLines(at, group.Fields), ...objectLines(at, group.Objects));
    for (const task of group.Tasks) {
      if (task.Type === 'None') continue;
      const taskAt = `${at}Task ${task.Name} › `;
      if (task.Type !== 'Edited') lines.push(`${at}Task ${task.Name}: ${task.Type.toLowerCase()}`);
      else lines.push(...fieldLines(taskAt, task.Fields), ...objectLines(taskAt, task.Objects));
    }
  }
  return lines;
}

function fieldLines(at: string, fields: readonly NomadFieldDiff[]): string[] {
  return fields.filter((f) => f.Type !== 'None').map((f) => `${at}${f.Name}: ${describeValues(f)}`);
}

function objectLines(at: string, objects: readonly NomadObjectDiff[]): string[] {
  return objects.filter((o) => o.Type !== 'None').flatMap((o) => [...fieldLines(`${at}${o.Name} › `, o.Fields), ...objectLines(`${at}${o.Name} › `, o.Objects)]);
}

function describeValues(f: NomadFieldDiff): string {
  if (f.Type === 'Added') return `+ ${JSON.stringify(f.New)}`;
  if (f.Type === 'Deleted') return `- ${JSON.stringify(f.Old)}`;
  return `${JSON.stringify(f.Old)} → ${JSON.stringify(f.New)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
