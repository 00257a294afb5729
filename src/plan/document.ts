import type { JobStop } from '../deploy/prune.ts';
import type { Style } from '../report/style.ts';
import type { NomadDiffType } from '../wire/nomad-api.ts';
import type { JobPlanEntry } from './plan-jobs.ts';
import { changesAllocations, hasChanges, type GroupPlanSummary } from './summarize.ts';

/** What deploy would do with one job, as written to the plan file. */
export type PlanAction = 'create' | 'update' | 'none' | 'unchanged' | 'in-flight' | 'last-failed';

/** One job in the plan file. Fields that do not apply to its action are absent. */
export interface PlannedJob {
  readonly id: string;
  readonly action: PlanAction;
  /** Register with this as `enforceIndex`: the plan is void once the job moved past it. */
  readonly jobModifyIndex: number;
  /** True when deploy would register it and Nomad would change the spec or allocations. */
  readonly changes: boolean;
  readonly diffType?: NomadDiffType | null;
  readonly groups?: readonly GroupPlanSummary[];
  readonly fields?: readonly string[];
  readonly warnings?: readonly string[];
  /** The running version, for jobs deploy would not register. */
  readonly version?: number;
  readonly deploymentId?: string;
  readonly reason?: string;
  readonly adoptFrom?: string;
  /**
   * `drover.spec_hash` of the job as rendered for this plan (release meta excluded): `deploy
   * --plan` refuses when its own render of the job hashes differently.
   */
  readonly specHash: string;
}

/** Schema id of the plan file; a field may be added within v1, never renamed or removed. */
export const PLAN_FILE_SCHEMA = 'drover.plan/v1';

/** The flags the plan was computed with; `deploy --plan` replays them (and refuses its own). */
export interface PlanFlags {
  /** `--job`: the plan (and the deploy) covers this job only. */
  readonly job?: string;
  /** `--release`, as given. */
  readonly release?: string;
  readonly adopt: boolean;
}

/** The plan file (`build/<env>/plan.json`): deterministic for a given cluster state and input. */
export interface PlanDocument {
  readonly schema: typeof PLAN_FILE_SCHEMA;
  readonly env: string;
  readonly namespace: string;
  readonly project: string;
  readonly release: string;
  readonly gitSha: string;
  /** Whether the environment's policy stops `stops` on deploy (`promotion.prune`). */
  readonly prune: boolean;
  readonly flags: PlanFlags;
  readonly changes: boolean;
  readonly jobs: readonly PlannedJob[];
  readonly stops: readonly JobStop[];
}

export type PlanHeader = Pick<PlanDocument, 'env' | 'namespace' | 'project' | 'release' | 'gitSha' | 'prune' | 'flags'> & {
  /** `drover.spec_hash` of each planned job's render, by job ID. */
  readonly specHashes: Readonly<Record<string, string>>;
};

/** Builds the plan file's content; refused entries must have been handled before. Pure. */
export function toPlanDocument(header: PlanHeader, entries: readonly JobPlanEntry[], stops: readonly JobStop[]): PlanDocument {
  const { specHashes, ...rest } = header;
  const jobs = entries.map((e) => ({ ...toPlannedJob(e), specHash: specHashes[e.id] ?? '' })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { schema: PLAN_FILE_SCHEMA, ...rest, changes: jobs.some((j) => j.changes) || stops.length > 0, jobs, stops };
}

function toPlannedJob(entry: JobPlanEntry): Omit<PlannedJob, 'specHash'> {
  switch (entry.kind) {
    case 'change': {
      const { summary } = entry;
      return {
        id: entry.id, action: summary.change, jobModifyIndex: summary.jobModifyIndex, changes: hasChanges(summary), diffType: summary.diffType,
        groups: summary.groups, fields: summary.fields, warnings: summary.warnings, adoptFrom: entry.adoptFrom,
      };
    }
    case 'unchanged':
      return { id: entry.id, action: 'unchanged', jobModifyIndex: entry.jobModifyIndex, changes: false, version: entry.version };
    case 'in-flight':
      return { id: entry.id, action: 'in-flight', jobModifyIndex: entry.jobModifyIndex, changes: false, version: entry.version, deploymentId: entry.deploymentId };
    case 'last-failed':
      return { id: entry.id, action: 'last-failed', jobModifyIndex: entry.jobModifyIndex, changes: false, version: entry.version, reason: entry.description };
    case 'refused':
      throw new Error(`internal: job "${entry.id}" is owned by ${entry.owner} and was not refused before writing the plan`);
  }
}

const MAX_FIELDS = 12;

/** The readable plan for stdout, one block per job then the stops and a tally. Pure. */
export function formatPlan(doc: PlanDocument, style: Style): string {
  const width = Math.max(0, ...doc.jobs.map((j) => j.id.length), ...doc.stops.map((s) => s.id.length));
  const lines = [style.bold(`Plan for ${doc.env} (namespace ${doc.namespace}, release ${doc.release})`), ''];
  for (const job of doc.jobs) lines.push(...formatJob(job, width, style));
  for (const stop of doc.stops) {
    const how = doc.prune ? 'deploy stops it' : `deploy stops it only with --prune (${doc.env} does not prune)`;
    lines.push(style.red(`- ${stop.id.padEnd(width)}  stop: no longer in jobs/ (release ${stop.release || '?'}); ${how}`));
  }
  lines.push('', tally(doc));
  return `${lines.join('\n')}\n`;
}

function formatJob(job: PlannedJob, width: number, style: Style): string[] {
  const id = job.id.padEnd(width);
  switch (job.action) {
    case 'unchanged':
      return [`= ${id}  no changes (version ${job.version} is running)`];
    case 'in-flight':
      return [style.yellow(`… ${id}  no changes; the deployment of version ${job.version} (${job.deploymentId?.slice(0, 8)}) is still running, deploy resumes watching it`)];
    case 'last-failed':
      return [style.red(`! ${id}  no changes; this spec already failed to deploy as version ${job.version}: ${job.reason}`)];
    default:
      break;
  }
  const mark = job.action === 'create' ? style.green('+') : job.changes ? style.yellow('~') : '=';
  const head = job.action === 'none' && !job.changes ? 'no changes (Nomad sees the same job)' : job.action;
  const lines = [`${mark} ${id}  ${head}${job.adoptFrom ? ` (adopting it from ${job.adoptFrom})` : ''} — job modify index ${job.jobModifyIndex}`];
  for (const group of job.groups ?? []) {
    lines.push(`    group ${group.name}: ${describeGroup(group)}`);
    if (group.placementFailure) lines.push(style.red(`      placement would fail: ${group.placementFailure}`));
  }
  const fields = job.fields ?? [];
  for (const field of fields.slice(0, MAX_FIELDS)) lines.push(style.dim(`      ${field}`));
  if (fields.length > MAX_FIELDS) lines.push(style.dim(`      … ${fields.length - MAX_FIELDS} more (see the plan file)`));
  for (const warning of job.warnings ?? []) lines.push(style.yellow(`    warning: ${warning}`));
  return lines;
}

/** "update; count 2 → 3; 1 canary, 0 destructive, 0 in-place, 2 unchanged" */
function describeGroup(g: GroupPlanSummary): string {
  const parts: string[] = [g.change];
  if (g.count && g.count.from !== g.count.to) parts.push(g.count.from === null ? `count ${g.count.to}` : `count ${g.count.from} → ${g.count.to ?? 0}`);
  if (changesAllocations(g) || g.change !== 'none') {
    const counts = [`${g.place} to place`, `${g.destructive} destructive`, `${g.inPlace} in-place`, `${g.canary} canary`];
    if (g.stop) counts.push(`${g.stop} to stop`);
    if (g.migrate) counts.push(`${g.migrate} to migrate`);
    parts.push(counts.join(', '));
  }
  if (g.ignore) parts.push(`${g.ignore} unchanged`);
  return parts.join('; ');
}

function tally(doc: PlanDocument): string {
  const count = (action: PlanAction) => doc.jobs.filter((j) => j.action === action).length;
  const updates = doc.jobs.filter((j) => j.action !== 'create' && j.changes).length;
  const same = doc.jobs.length - count('create') - updates;
  const parts = [`${count('create')} to create`, `${updates} to update`, `${same} unchanged`, `${doc.stops.length} to stop`];
  return `${doc.changes ? 'Changes' : 'No changes'} in ${doc.env}: ${parts.join(', ')}.`;
}
