/**
 * The one check of drover's generated files, shared by `validate`, `render --check` and `render`
 * so that all three give the same answer on the same project:
 *
 * - vault-policies/<env>/: coverage, minimality, syntax, roles, missing and orphaned files
 *   (`checkPolicyFiles`, rule `vault/policy-orphan` among others);
 * - build/<env>/: rendered job files whose job no longer runs there (`generated/orphan`);
 * - jobs/<dir>/vector.<env>.toml: a log shipper's Vector config no job renders any more
 *   (`generated/orphan`);
 * - cluster/<env>/: agent configurations stale, missing or left over (`cluster/stale`,
 *   `cluster/orphan`; see cluster-files.ts, which `render` and `cluster render` write with);
 * - the committed files of an environment the project no longer defines: fabio/fabio.<old>.properties,
 *   vault-policies/<old>/, grafana/<old>/, cluster/<old>/, jobs/<dir>/vector.<old>.toml
 *   (`generated/orphan`; given `environments`).
 *
 * Orphans are errors for `validate` and `render --check`; `render` deletes the ones drover
 * generated and the folders that left empty (and says so), then reports whatever is left with the
 * same diagnostics. `render` also deletes its rendered job files in build/<old>/ of an environment
 * no longer defined, which the check leaves out: build/ is git-ignored, nothing for CI to fail on.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Cluster } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { checkPolicyFiles, POLICY_ORPHAN } from '../secrets/check-policies.ts';
import { sortDiagnostics, type Diagnostic } from '../validate/diagnostic.ts';
import { checkClusterFiles } from './cluster-files.ts';
import type { LoadedModule } from './load.ts';
import type { Project } from './project.ts';
import { buildFileJob, findOrphanedBuildFiles, findOrphanedJobConfigs, GENERATED_ORPHAN, isRenderedJobFile, type BuildFile } from '../validate/rules/generated-orphan.ts';
import { vectorConfigPaths } from '../render/vector-config.ts';
import { ENVIRONMENT_PATH_KINDS, isGeneratedEnvironmentFile, reportOrphanedEnvironmentFiles, selectOtherEnvironmentFiles, type OtherEnvironmentFile } from '../validate/rules/generated-env-orphan.ts';

/** Rules whose diagnostics name a file that should not exist; `render` removes those drover wrote. */
export const ORPHAN_RULES: readonly string[] = [POLICY_ORPHAN, GENERATED_ORPHAN];

export interface GeneratedCheckInput {
  readonly root: string;
  /** The build folder (absolute); `<buildDir>/<env>/` is checked. validate uses `<root>/build`. */
  readonly buildDir: string;
  readonly env: Environment;
  /** Every job built for `env`. */
  readonly jobs: readonly LoadedJob[];
  /**
   * Job files that failed to load or build (a syntax error): `jobs` is then incomplete, and a
   * file is not left over just because its job could not be read, so no orphan is reported.
   * @default []
   */
  readonly unbuiltJobFiles?: readonly string[];
  /**
   * The environment's cluster, whose rendered files under cluster/<env>/ must be current (rules
   * cluster/stale and cluster/orphan). Absent: cluster/<env>/ must not exist.
   */
  readonly cluster?: LoadedModule<Cluster> | undefined;
  /**
   * Names of every environment the project defines, when all of them loaded: the committed files
   * of any other environment are then left over. Absent: those files are not looked for (an
   * environment file that failed to load would make its files look left over).
   */
  readonly environments?: readonly string[] | undefined;
}

/** Every problem with the environment's generated files, sorted; reads files only. */
export async function checkGeneratedFiles(input: GeneratedCheckInput): Promise<Diagnostic[]> {
  const policies = await checkPolicyFiles({ root: input.root, jobs: input.jobs, env: input.env });
  const jobIds = input.jobs.map((j) => j.spec.id);
  const wanted = new Set(jobIds);
  // Files named after a job that runs here are never orphans: not read (1000 files, ~10 ms).
  const files = await readBuildFiles(input.root, join(input.buildDir, input.env.name), (name) => !wanted.has(buildFileJob(name)));
  const build = findOrphanedBuildFiles({ env: input.env.name, jobIds, files });
  const configs = findOrphanedJobConfigs({ env: input.env.name, wanted: vectorConfigPaths(input.jobs, input.env), files: await readJobConfigFiles(input.root, input.env.name) });
  const cluster = await checkClusterFiles({ root: input.root, env: input.env, cluster: input.cluster });
  const environments = input.environments ? reportOrphanedEnvironmentFiles({ environments: input.environments, env: input.env.name, files: await readOtherEnvironmentFiles(input.root, input.environments) }) : [];
  return sortDiagnostics([...withoutOrphansIfIncomplete([...policies, ...build, ...configs], input.unbuiltJobFiles ?? [], input.env.name), ...cluster, ...environments]);
}

/**
 * The names of every environment `project` defines, for {@link GeneratedCheckInput.environments};
 * `undefined` when a definition file failed to load, since its environment's files would then
 * look left over.
 */
export function definedEnvironments(project: Pick<Project, 'environments' | 'diagnostics'>): readonly string[] | undefined {
  if (project.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return project.environments.map((m) => m.value.name);
}

/** The committed generated files that belong, by their path, to none of `defined`: only those are read. */
async function readOtherEnvironmentFiles(root: string, defined: readonly string[]): Promise<OtherEnvironmentFile[]> {
  const list = (dir: string, options: { recursive: boolean }) => readdir(join(root, dir), options).then((names) => names.map((name) => `${dir}/${name.split('\\').join('/')}`), () => []);
  const candidates: string[] = [];
  for (const kind of ENVIRONMENT_PATH_KINDS) {
    if (kind.layout === 'env-in-name') {
      candidates.push(...(await list(kind.folder, { recursive: kind.recursive })));
      continue;
    }
    // A defined environment's folder (vault-policies/qa/, a file per job) is not even listed.
    const envDirs = await readdir(join(root, kind.folder), { withFileTypes: true }).catch(() => []);
    for (const dir of envDirs.filter((d) => d.isDirectory() && !defined.includes(d.name))) candidates.push(...(await list(`${kind.folder}/${dir.name}`, { recursive: true })));
  }
  const files: OtherEnvironmentFile[] = [];
  for (const { path, owner } of selectOtherEnvironmentFiles(candidates.map((path) => ({ path })), defined)) {
    const content = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (content !== undefined) files.push({ path, owner, content });
  }
  return files;
}

/** Drops orphan findings when some job could not be read (advising to delete its files would be wrong), and says why. */
function withoutOrphansIfIncomplete(found: readonly Diagnostic[], unbuilt: readonly string[], envName: string): Diagnostic[] {
  if (unbuilt.length === 0) return [...found];
  const kept = found.filter((d) => !ORPHAN_RULES.includes(d.rule));
  if (kept.length === found.length) return kept;
  const files = unbuilt.join(', ');
  return [
    ...kept,
    {
      rule: POLICY_ORPHAN,
      severity: 'warning',
      message: `Left-over generated files of ${envName} were not checked: ${files} did not load, so drover cannot tell which files its jobs still use`,
      location: { file: `vault-policies/${envName}/`, path: '' },
      hint: `Fix ${files} first; do not delete policy or build files on the strength of this run.`,
    },
  ];
}

/** What {@link removeOrphans} removed. */
export interface Removal {
  /** The diagnostics of the files it removed. */
  readonly removed: readonly Diagnostic[];
  /** The folders those removals left empty, removed too, deepest first, named as diagnostics name files and ending in `/`. */
  readonly folders: readonly string[];
}

/**
 * Deletes the files that orphan diagnostics name, when drover generated them (see
 * `isGeneratedEnvironmentFile`), then the folders that left empty (`vault-policies/<old>/roles/`),
 * up to the build folder or the top folder of an {@link ENVIRONMENT_PATH_KINDS} entry, never
 * beyond the project.
 */
export async function removeOrphans(diagnostics: readonly Diagnostic[], { root, buildDir }: { root: string; buildDir: string }): Promise<Removal> {
  const removed: Diagnostic[] = [];
  for (const diagnostic of diagnostics.filter((d) => ORPHAN_RULES.includes(d.rule))) {
    const path = resolve(root, diagnostic.location.file);
    const content = await readFile(path, 'utf8').catch(() => undefined);
    if (content === undefined || !isGeneratedEnvironmentFile(diagnostic.location.file, content)) continue;
    await rm(path, { force: true });
    removed.push(diagnostic);
  }
  const tops = [root, resolve(buildDir), ...ENVIRONMENT_PATH_KINDS.map((kind) => join(root, kind.folder))];
  const folders = await removeEmptiedFolders(removed.map((d) => dirname(resolve(root, d.location.file))), [root, resolve(buildDir)], tops);
  return { removed, folders: folders.map((dir) => `${displayPath(root, dir)}/`) };
}

/**
 * Removes each of `dirs` that is empty, deepest first, and then its parent when that became empty,
 * stopping at `tops` and outside `within`. `rmdir` refuses a folder holding anything, so a file or
 * folder a person put there (even now) keeps it. Returns the removed folders, absolute.
 */
async function removeEmptiedFolders(dirs: readonly string[], within: readonly string[], tops: readonly string[]): Promise<string[]> {
  const inside = (dir: string) => !tops.includes(dir) && within.some((base) => isInside(base, dir));
  const pending = new Set(dirs.filter(inside));
  const removed: string[] = [];
  while (pending.size > 0) {
    const dir = [...pending].sort((a, b) => b.length - a.length)[0] as string;
    pending.delete(dir);
    const empty = await rmdir(dir).then(() => true, () => false);
    if (!empty) continue;
    removed.push(dir);
    if (inside(dirname(dir))) pending.add(dirname(dir));
  }
  return removed;
}

/** Whether `path` lies below `base` (both absolute). */
function isInside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The rendered job files drover left in `build/<old>/` for environments the project no longer
 * defines, as `generated/orphan` diagnostics for `render` to remove. Not part of
 * {@link checkGeneratedFiles}: build/ is git-ignored, so they fail neither `validate` nor
 * `render --check`. Only the project's own build folder: a `--out` folder may be shared with other
 * tools, and its other subfolders are not drover's.
 */
async function findOtherEnvironmentBuildFiles(input: GeneratedCheckInput & { readonly environments: readonly string[] }): Promise<Diagnostic[]> {
  if (resolve(input.buildDir) !== join(input.root, 'build')) return [];
  const dirs = await readdir(input.buildDir, { withFileTypes: true }).catch(() => []);
  const files: OtherEnvironmentFile[] = [];
  for (const dir of dirs.filter((d) => d.isDirectory() && !input.environments.includes(d.name))) {
    const rendered = (await readBuildFiles(input.root, join(input.buildDir, dir.name), () => true)).filter(isRenderedJobFile);
    files.push(...rendered.map((file) => ({ path: file.path, owner: dir.name, content: file.content })));
  }
  return reportOrphanedEnvironmentFiles({ environments: input.environments, env: input.env.name, files });
}

/** The files of build/<env>/ for which `read(name)` holds, with their content. */
async function readBuildFiles(root: string, dir: string, read: (name: string) => boolean): Promise<BuildFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files: BuildFile[] = [];
  // Synchronous: build/<env>/ holds two files per job, and a thousand awaited reads through the
  // thread pool cost ~0.2 s of waiting in validate on the 500-job project; in a row, ~20 ms.
  for (const entry of entries.filter((e) => e.isFile() && read(e.name))) {
    const absolute = join(dir, entry.name);
    files.push({ name: entry.name, path: displayPath(root, absolute), content: readFileSync(absolute, 'utf8') });
  }
  return files;
}

/** The `jobs/<dir>/vector.<env>.toml` files next to job files (generated configs of jobs such as the log shipper). */
async function readJobConfigFiles(root: string, envName: string): Promise<BuildFile[]> {
  const jobsDir = join(root, 'jobs');
  const dirs = await readdir(jobsDir, { withFileTypes: true }).catch(() => []);
  const files: BuildFile[] = [];
  for (const dir of dirs.filter((d) => d.isDirectory())) {
    const name = `vector.${envName}.toml`;
    const content = await readFile(join(jobsDir, dir.name, name), 'utf8').catch(() => undefined);
    if (content !== undefined) files.push({ name, path: `jobs/${dir.name}/${name}`, content });
  }
  return files;
}

/** Root-relative with `/` when inside the project (as every other diagnostic), absolute otherwise. */
function displayPath(root: string, absolute: string): string {
  const rel = relative(root, absolute);
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : rel.split('\\').join('/');
}

/** What `render` did to left-over files, and what it could not fix. */
export interface TidyResult extends Removal {
  /** Problems left after the removal: the same diagnostics `validate` now gives. */
  readonly remaining: readonly Diagnostic[];
}

/**
 * After `render` wrote its files: removes the orphans drover generated, and its rendered job files
 * in build/<old>/ of environments no longer defined, then checks again.
 */
export async function tidyGeneratedFiles(input: GeneratedCheckInput): Promise<TidyResult> {
  const found = await checkGeneratedFiles(input);
  const environments = input.environments;
  const stray = environments ? await findOtherEnvironmentBuildFiles({ ...input, environments }) : [];
  const removal = await removeOrphans([...found, ...stray], { root: input.root, buildDir: input.buildDir });
  const changed = removal.removed.some((d) => found.includes(d));
  return { ...removal, remaining: changed ? await checkGeneratedFiles(input) : found };
}
