import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Cluster } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import { UsageError, ValidationError } from '../errors.ts';
import { buildJobs, type ExcludedJob, type LoadedModule } from '../project/load.ts';
import { loadProject, type Project } from '../project/project.ts';
import { TYPECHECK_RULE, typecheckProject } from '../project/typecheck.ts';
import { withoutRepeatedTypeErrors } from '../validate/repeated-type-errors.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../report/diagnostics.ts';
import type { Style } from '../report/style.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../validate/diagnostic.ts';
import { validateEnvironment } from '../validate/rules/environment.ts';
import { checkExclusions } from '../validate/rules/job-exclude-from.ts';
import { checkJobsPresent } from '../validate/rules/project-no-jobs.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { withKeyPositions } from '../validate/source-position.ts';
import { withoutUnloadedDependencies } from '../validate/unloaded-dependencies.ts';
import { ENV_UNKNOWN_KEY, JOB_UNKNOWN_KEY } from '../validate/rules/unknown-keys.ts';
import { validateJobs } from '../validate/validate.ts';
import { CLUSTER_UNKNOWN_KEY, validateClusters } from '../validate/rules/cluster/index.ts';
import type { CliIo } from './io.ts';

export interface ProjectFlags {
  readonly project?: string | undefined;
  readonly environments?: string | undefined;
}

/** One environment's validated view of the project: what render, validate and deploy start from. */
export interface Prepared {
  readonly project: Project;
  readonly env: Environment;
  readonly envFile: string;
  readonly jobs: LoadedJob[];
  /** Jobs whose definitions leave this environment out (`excludeFrom`), with the reason. */
  readonly excluded: ExcludedJob[];
  readonly diagnostics: Diagnostic[];
  readonly ok: boolean;
  /**
   * Job files that did not load or build here: the jobs list is incomplete, so checks that
   * conclude from a job's absence (vault/policy-orphan) must not run.
   */
  readonly unbuiltJobFiles: string[];
  /** The environment's cluster (`environments/clusters/*.ts` with `env: <name>`), when it has one. */
  readonly cluster?: LoadedModule<Cluster> | undefined;
}

/** Options of {@link openProject}. */
export interface OpenOptions {
  /**
   * Also type-check jobs/ and environments/ with the project's TypeScript (validate, render and
   * deploy); its errors join the project's diagnostics (rule `types/tsc`).
   * @default false
   */
  readonly typecheck?: boolean;
}

export async function openProject(io: CliIo, flags: ProjectFlags, options: OpenOptions = {}): Promise<Project> {
  const root = flags.project ? resolve(io.cwd, flags.project) : io.cwd;
  const environmentsDir = flags.environments ? absolute(io.cwd, flags.environments) : join(root, 'environments');
  const project = await loadProject({ root, environmentsDir });
  if (!options.typecheck) return project;
  const typeDiagnostics = await typecheckProject({ root, dirs: [join(root, 'jobs'), environmentsDir] });
  // A file that did not load shows its syntax error with a code frame already; tsc would repeat it.
  const unloaded = new Set(project.diagnostics.filter((d) => d.rule === 'load/module').map((d) => d.location.file));
  return { ...project, diagnostics: [...project.diagnostics, ...typeDiagnostics.filter((d) => !unloaded.has(d.location.file))] };
}

/** Loads, builds and validates every job for `envName`; collects every problem, throws only on usage errors. */
export function prepare(project: Project, envName: string | undefined, io: CliIo): Prepared {
  const names = project.environments.map((m) => m.value.name);
  if (!envName) throw new UsageError('No environment given', { hint: `Name one of: ${names.join(', ') || '(none found)'}.` });
  const found = project.environments.find((m) => m.value.name === envName);
  if (!found && hasErrors(project.diagnostics.filter((d) => d.rule !== TYPECHECK_RULE))) {
    // The environment may be the file that failed to load: report that, not "unknown environment".
    throw new ValidationError(`Cannot load the definitions for "${envName}"; nothing was written`, project.diagnostics, {
      hint: 'Fix the files listed above, then run `drover validate`.',
    });
  }
  if (!found) {
    throw new UsageError(`Unknown environment "${envName}"`, {
      hint: names.length ? `Use one of: ${names.join(', ')}.` : 'No environments/*.ts found; run drover from the project root or pass --project.',
    });
  }
  const envDiagnostics = project.environments.flatMap((m) => validateEnvironment(m.value, m.file, names));
  const built = buildJobs(project.jobs, found.value);
  const exclusionDiagnostics = checkExclusions(project.jobs, names);
  const ruleDiagnostics = validateJobs({ env: found.value, jobs: built.jobs, excluded: built.excluded, processEnv: io.env });
  const failedToLoad = project.diagnostics.filter((d) => d.location.file.startsWith('jobs/')).length;
  const presence = checkJobsPresent({ env: found.value.name, definitions: project.jobs.length, failedToLoad, built: built.jobs.length });
  const unbuiltJobFiles = [...new Set([...project.diagnostics, ...built.diagnostics].filter((d) => d.rule === 'load/module' && d.location.file.startsWith('jobs/')).map((d) => d.location.file))];
  const clusterDiagnostics = validateClusters({ clusters: project.clusters, env: found.value, environments: project.environments.map((m) => m.value), jobs: built.jobs });
  const collected = withoutUnloadedDependencies([...project.diagnostics, ...envDiagnostics, ...exclusionDiagnostics, ...built.diagnostics, ...ruleDiagnostics, ...presence, ...clusterDiagnostics], built.jobs, unbuiltJobFiles);
  const keyRules = [JOB_UNKNOWN_KEY, ENV_UNKNOWN_KEY, CLUSTER_UNKNOWN_KEY];
  const positioned = withKeyPositions(collected, keyRules, (file) => readSource(project.root, file));
  const diagnostics = sortDiagnostics(withoutRepeatedTypeErrors(positioned, TYPECHECK_RULE, keyRules));
  const cluster = project.clusters.find((c) => c.value.env === found.value.name);
  return { project, env: found.value, envFile: found.file, jobs: built.jobs, excluded: built.excluded, diagnostics, ok: !hasErrors(diagnostics), unbuiltJobFiles, cluster };
}

/**
 * Prints what {@link prepare} found on stderr; when it holds an error, also the one-line verdict
 * ending in what the command did not do (`nothing was written`), and answers false: the caller
 * returns ExitCode.validation.
 */
export function reportPrepared(prepared: Prepared, io: CliIo, style: Style, notDone: string): boolean {
  io.stderr.write(formatDiagnostics(prepared.diagnostics, style));
  if (prepared.ok) return true;
  io.stderr.write(`${style.red('✖')} Validation failed for ${prepared.env.name}: ${summarizeDiagnostics(prepared.diagnostics)}; ${notDone}.\n`);
  return false;
}

/** A definition file's text, to place diagnostics at file:line:col; undefined when it cannot be read. */
function readSource(root: string, file: string): string | undefined {
  try {
    return readFileSync(resolve(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/**
 * The name recorded as job meta `drover.project`, which decides which jobs in a cluster this
 * project owns: the `name` in the project's package.json. Never derived from the folder name,
 * which differs between clones.
 */
export async function projectName(root: string): Promise<string> {
  const text = await readFile(join(root, 'package.json'), 'utf8').catch(() => undefined);
  const name = text === undefined ? undefined : (JSON.parse(text) as { name?: unknown }).name;
  if (typeof name === 'string' && name) return name.replace(/^@[^/]+\//, '');
  throw new UsageError(`No project name: ${join(root, 'package.json')} is missing or has no "name"`, {
    hint: 'drover records the package name in job meta to recognise the jobs it owns; add a package.json with a "name".',
  });
}
