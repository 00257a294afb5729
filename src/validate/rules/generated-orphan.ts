import type { Diagnostic } from '../diagnostic.ts';
import { GENERATED_MARKER as MARKER } from '../../secrets/derive.ts';
import { problem } from '../rule.ts';

/** Rule id: a rendered job file in build/<env>/ for a job that no longer runs in <env>. */
export const GENERATED_ORPHAN = 'generated/orphan';

/** A file found in an environment's build folder. */
export interface BuildFile {
  /** Name inside `build/<env>/`, e.g. `api.json`. */
  readonly name: string;
  /** How diagnostics name it: relative to the project root when inside it, e.g. `build/qa/api.json`. */
  readonly path: string;
  readonly content: string;
}

export interface BuildOrphanInput {
  readonly env: string;
  /** IDs of the jobs built for `env` (every job, not only a `--job` selection). */
  readonly jobIds: readonly string[];
  readonly files: readonly BuildFile[];
}

/**
 * The rendered job files (`<id>.json`, `<id>.nomad.hcl`) in build/<env>/ whose job no longer
 * runs in <env>: removed from jobs/, renamed, or excluded from the environment. Left there, they
 * are what `nomad job run build/<env>/<id>.json` would still deploy. A file counts only when its
 * content says drover rendered it, so a saved plan (`plan --out build/qa/mine.json`) or a file of
 * the user's is never taken for one. Pure; sorted by path.
 */
export function findOrphanedBuildFiles(input: BuildOrphanInput): Diagnostic[] {
  const wanted = new Set(input.jobIds);
  return input.files
    // A file named after a job that runs here is no orphan, whatever it holds: not parsing the
    // thousand wanted files (~5 MB of JSON for 500 jobs) saves validate and render ~20-30 ms.
    .filter((file) => !wanted.has(buildFileJob(file.name)))
    .map((file) => ({ file, id: renderedJobId(file) }))
    .filter((f): f is { file: BuildFile; id: string } => f.id !== undefined && !wanted.has(f.id))
    .sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0))
    .map(({ file, id }) =>
      problem(GENERATED_ORPHAN, { file: file.path, path: '' }, `${file.path} is left over: no job "${id}" runs in ${input.env} any more`, `Run \`drover render ${input.env}\` (it removes the file), or delete it.`),
    );
}

/** The job a build file is named after (`api.json`, `api.nomad.hcl` → `api`); other names as they are. */
export function buildFileJob(name: string): string {
  return name.replace(/(?:\.nomad\.hcl|\.json)$/, '');
}

export interface JobConfigOrphanInput {
  readonly env: string;
  /** Paths of the configs the environment's jobs render (e.g. `jobs/log-shipper/vector.qa.toml`). */
  readonly wanted: readonly string[];
  /** The `<job dir>/vector.<env>.toml` files found next to job files. */
  readonly files: readonly BuildFile[];
}

/**
 * Committed configs generated for a job in <env> (the log shipper's `vector.<env>.toml`) that no
 * job renders any more: the job was removed or excluded, or the environment lost its `logs.sink`.
 * Only files with drover's header count. Pure; sorted by path.
 */
export function findOrphanedJobConfigs(input: JobConfigOrphanInput): Diagnostic[] {
  const wanted = new Set(input.wanted);
  return input.files
    .filter((file) => !wanted.has(file.path) && file.content.startsWith(`# ${MARKER}`))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) =>
      problem(GENERATED_ORPHAN, { file: file.path, path: '' }, `${file.path} is left over: no job of ${input.env} renders it any more (removed, excluded, or no logs.sink)`, `Run \`drover render ${input.env}\` (it removes the file), or delete it.`),
    );
}

/** Whether a build file is a job file drover rendered: `<id>.json` holding job `<id>`, or `<id>.nomad.hcl` with drover's header. Pure. */
export function isRenderedJobFile(file: BuildFile): boolean {
  return renderedJobId(file) !== undefined;
}

/** The job a build file was rendered for, or `undefined` when it is not a rendered job file. */
function renderedJobId(file: BuildFile): string | undefined {
  const hcl = /^(.+)\.nomad\.hcl$/.exec(file.name);
  if (hcl) return file.content.startsWith(`# ${MARKER}`) ? hcl[1] : undefined;
  const json = /^(.+)\.json$/.exec(file.name);
  if (!json) return undefined;
  try {
    const body = JSON.parse(file.content) as { Job?: { ID?: unknown } } | null;
    return body?.Job?.ID === json[1] ? json[1] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether drover wrote this file (its first line, or its `"//"` key in JSON, carries the
 * generated-by header): only such files may be deleted for the user. A hand-written file in a
 * generated folder stays, and its diagnostic stays too. Pure.
 */
export function isDroverGenerated(path: string, content: string): boolean {
  if (content.startsWith(`# ${MARKER}`)) return true;
  if (!path.endsWith('.json')) return false;
  try {
    const body = JSON.parse(content) as Record<string, unknown> | null;
    if (typeof body?.['//'] === 'string' && body['//'].startsWith(MARKER)) return true;
    return typeof body?.Job === 'object' && body.Job !== null;
  } catch {
    return false;
  }
}
