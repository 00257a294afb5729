import { DroverError, ExitCode } from '../errors.ts';
import { META } from '../render/context.ts';
import type { NomadJobListStub } from '../wire/nomad-api.ts';

/**
 * Which jobs in a cluster belong to this project and environment, read from the job meta drover
 * writes (`drover.project`, `drover.env`). Pure, except `foreignJobsRefused`, which only builds
 * the error.
 */

/** The pair that owns a job: the project's package name and the environment's name. */
export interface Owner {
  readonly project: string;
  readonly env: string;
}

type Meta = Readonly<Record<string, string>> | null | undefined;

/** True when the job's meta names this project and this environment. */
export function isOwnedBy(meta: Meta, owner: Owner): boolean {
  return meta?.[META.project] === owner.project && meta?.[META.env] === owner.env;
}

/** Who owns a job, in words for an error message. */
export function describeOwner(meta: Meta): string {
  const project = meta?.[META.project];
  if (!project) return 'not deployed by drover (no drover.project meta)';
  return `project "${project}", environment "${meta?.[META.env] ?? '?'}"`;
}

/**
 * The jobs of a `jobs.list({ meta: true })` answer this project owns in this environment.
 * Children of periodic and parameterized jobs (`ParentID` set) inherit their parent's meta but
 * are Nomad's, not ours: they are left out. Sorted by ID.
 */
export function ownedJobs(listed: readonly NomadJobListStub[], owner: Owner): NomadJobListStub[] {
  return listed.filter((job) => !job.ParentID && isOwnedBy(job.Meta, owner)).sort((a, b) => compare(a.ID, b.ID));
}

/** A job drover was asked to touch that belongs to someone else. */
export interface ForeignJob {
  readonly id: string;
  readonly owner: string;
}

/**
 * The refusal (exit 4) for jobs whose IDs exist in Nomad under another owner, named once for all
 * of them so the user fixes everything in one go.
 */
export function foreignJobsRefused(foreign: readonly ForeignJob[], env: string, what: string, canAdopt: boolean): DroverError {
  return new DroverError(`Refusing to ${what} jobs this project does not own in ${env}`, ExitCode.refused, {
    context: { jobs: foreign.map((f) => `${f.id} (owned by ${f.owner})`).join(', ') },
    hint: canAdopt
      ? 'Rename the job in jobs/, or pass --adopt to take it over deliberately.'
      : 'These jobs were not deployed by this project to this environment; use the nomad CLI if you really mean to change them.',
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
