/**
 * `drover deploy <env> --plan FILE`: deploy exactly what a saved plan (`drover plan <env> --out
 * FILE`) was computed for, like `terraform apply planfile`. What the plan file records and why:
 *
 * - `schema` (`drover.plan/v1`): a file of another format or version is refused with a hint (64);
 * - `env`, `project`: a plan of another environment or project is refused (4);
 * - `gitSha`, `flags` (`--job`, `--release`, `--adopt`): replayed by the deploy, which refuses
 *   those flags of its own (64), so it renders the same jobs from the same commit;
 * - per job `specHash`: the deploy renders again and refuses (4) when a job's hash differs, or a
 *   job was added or removed since — someone edited jobs/ or environments/ after the plan;
 * - per job `jobModifyIndex` (and per stop its index): the Nomad state the plan was computed
 *   against. Under the environment lock, before registering anything, the deploy reads every job
 *   again and refuses (4) when one moved; it then registers with the planned index as Nomad's
 *   check-index, so a change in the last instant is refused by Nomad itself.
 *
 * Everything here is pure; the CLI reads the file and `deploy()` reads the cluster.
 */
import { DroverError, ExitCode, UsageError } from '../errors.ts';
import { PLAN_FILE_SCHEMA, type PlanDocument } from '../plan/document.ts';
import type { JobStop } from './prune.ts';

/** What `deploy()` checks the cluster against, from a saved plan. */
export interface SavedPlanCheck {
  /** The plan file as the user named it, for messages. */
  readonly file: string;
  /** Planned `JobModifyIndex` by job ID (0: the job did not exist). */
  readonly indexes: ReadonlyMap<string, number>;
  /** The stops the plan listed; compared only when the deploy prunes. */
  readonly stops: readonly JobStop[];
}

/** Reads a plan file's text: a `drover.plan/v1` document, or a usage error saying what to run. */
export function parseSavedPlan(text: string, file: string): PlanDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAPlan(file, 'it is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notAPlan(file, 'it does not hold a JSON object');
  const doc = value as Partial<PlanDocument> & { schema?: unknown };
  const replan = `Run \`drover plan ${typeof doc.env === 'string' ? doc.env : '<env>'} --out ${file}\` with this drover, review it, then deploy it.`;
  if (doc.schema === undefined && typeof doc.env === 'string' && Array.isArray(doc.jobs)) {
    throw new UsageError(`${file} is a plan from an older drover without a format version`, { hint: `${replan} (It records no spec hashes, so it cannot be deployed as planned.)` });
  }
  if (typeof doc.schema === 'string' && doc.schema.startsWith('drover.plan/') && doc.schema !== PLAN_FILE_SCHEMA) {
    throw new UsageError(`${file} is a ${doc.schema} plan; this drover reads ${PLAN_FILE_SCHEMA}`, { hint: replan });
  }
  if (doc.schema !== PLAN_FILE_SCHEMA) throw notAPlan(file, typeof doc.schema === 'string' ? `its schema is ${doc.schema}` : 'it has no "schema"');
  if (typeof doc.env !== 'string' || typeof doc.project !== 'string' || typeof doc.gitSha !== 'string' || !Array.isArray(doc.jobs) || !Array.isArray(doc.stops) || typeof doc.flags !== 'object' || doc.flags === null) {
    throw notAPlan(file, 'fields of drover.plan/v1 are missing');
  }
  return doc as PlanDocument;
}

function notAPlan(file: string, why: string): UsageError {
  return new UsageError(`${file} is not a drover plan file: ${why}`, { hint: 'Pass the file `drover plan <env> --out FILE` wrote (default build/<env>/plan.json).' });
}

/** Refuses a plan computed for another environment or project (exit 4). */
export function assertPlanTarget(plan: PlanDocument, target: { readonly env: string; readonly project: string; readonly file: string }): void {
  if (plan.env !== target.env) {
    throw new DroverError(`${target.file} is a plan for ${plan.env}, not ${target.env}`, ExitCode.refused, {
      hint: `Deploy it with \`drover deploy ${plan.env} --plan ${target.file}\`, or plan ${target.env}: \`drover plan ${target.env} --out FILE\`.`,
    });
  }
  if (plan.project !== target.project) {
    throw new DroverError(`${target.file} is a plan of project "${plan.project}", not of this project ("${target.project}")`, ExitCode.refused, {
      hint: `Run drover in ${plan.project}'s checkout, or plan this project: \`drover plan ${target.env} --out FILE\`.`,
    });
  }
}

/** One difference between the plan's jobs and the jobs rendered now. */
export interface SpecDrift {
  readonly id: string;
  readonly kind: 'changed' | 'added' | 'removed';
  readonly planned?: string;
  readonly now?: string;
}

/** Jobs whose render differs from the plan's (spec hash), or that appeared or vanished since. Pure; by ID. */
export function findSpecDrift(plan: PlanDocument, rendered: ReadonlyMap<string, string>): SpecDrift[] {
  const planned = new Map(plan.jobs.map((j) => [j.id, j.specHash]));
  const drift: SpecDrift[] = [];
  for (const [id, hash] of planned) {
    const now = rendered.get(id);
    if (now === undefined) drift.push({ id, kind: 'removed', planned: hash });
    else if (now !== hash) drift.push({ id, kind: 'changed', planned: hash, now });
  }
  for (const [id, now] of rendered) if (!planned.has(id)) drift.push({ id, kind: 'added', now });
  return drift.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The refusal for {@link findSpecDrift}'s answer (exit 4): nothing was locked or registered yet. */
export function specDriftRefused(drift: readonly SpecDrift[], env: string, file: string): DroverError {
  const describe = (d: SpecDrift) =>
    d.kind === 'changed' ? `${d.id} (spec hash ${d.planned || '?'} planned, ${d.now} now)` : d.kind === 'added' ? `${d.id} (not in the plan)` : `${d.id} (in the plan, no longer rendered)`;
  return new DroverError(`The jobs changed since the plan in ${file} was made; nothing was deployed to ${env}`, ExitCode.refused, {
    context: { jobs: drift.map(describe).join(', ') },
    hint: `jobs/ or environments/ were edited after planning. Run \`drover plan ${env} --out ${file}\`, review it, then \`drover deploy ${env} --plan ${file}\`.`,
  });
}

/** A job whose Nomad state is not the one planned against. */
export interface MovedJob {
  readonly id: string;
  readonly planned: number;
  /** `null`: the job is gone (purged). */
  readonly now: { readonly jobModifyIndex: number; readonly version: number; readonly release: string } | null;
}

/** Planned jobs whose `JobModifyIndex` is no longer the planned one. Pure; in plan order. */
export function findMovedJobs(check: SavedPlanCheck, current: ReadonlyMap<string, MovedJob['now']>): MovedJob[] {
  const moved: MovedJob[] = [];
  for (const [id, planned] of check.indexes) {
    const now = current.get(id) ?? null;
    if ((now?.jobModifyIndex ?? 0) !== planned) moved.push({ id, planned, now });
  }
  return moved;
}

/** Stops the deploy would make now that the plan did not list, or listed at another index. Pure. */
export function findMovedStops(check: SavedPlanCheck, stopsNow: readonly JobStop[]): MovedJob[] {
  const planned = new Map(check.stops.map((s) => [s.id, s.jobModifyIndex]));
  const now = new Map(stopsNow.map((s) => [s.id, s]));
  const ids = [...new Set([...planned.keys(), ...now.keys()])].sort();
  return ids
    .filter((id) => planned.get(id) !== now.get(id)?.jobModifyIndex)
    .map((id) => {
      const stop = now.get(id);
      return { id, planned: planned.get(id) ?? 0, now: stop ? { jobModifyIndex: stop.jobModifyIndex, version: -1, release: stop.release } : null };
    });
}

/** The refusal for moved jobs (exit 4), naming each job, its planned and current state, and what to run. */
export function clusterMovedRefused(moved: readonly MovedJob[], env: string, file: string): DroverError {
  const describe = (m: MovedJob) => {
    if (!m.now) return `${m.id}: job modify index ${m.planned} planned, now gone`;
    const version = m.now.version >= 0 ? `version ${m.now.version}, ` : '';
    return `${m.id}: job modify index ${m.planned} planned, now ${m.now.jobModifyIndex} (${version}release ${m.now.release || 'not drover'})`;
  };
  return new DroverError(`${moved.map((m) => `Job "${m.id}"`).join(', ')} changed in ${env} since the plan in ${file} was made; nothing was registered`, ExitCode.refused, {
    context: { moved: moved.map(describe).join('; ') },
    hint: `Someone deployed since your plan. Run \`drover plan ${env} --out ${file}\`, review it, then \`drover deploy ${env} --plan ${file}\`.`,
  });
}
