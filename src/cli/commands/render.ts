import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { DroverError, ExitCode, UsageError, ValidationError } from '../../errors.ts';
import { renderConfigFiles, renderJobFiles, renderOutputs } from '../../render/outputs.ts';
import { type GeneratedFile } from '../../render/generated-file.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../report/diagnostics.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { currentGitSha } from '../git.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, projectName, type Prepared, reportPrepared } from '../pipeline.ts';
import { checkGeneratedFiles, definedEnvironments, tidyGeneratedFiles } from '../../project/generated-files.ts';
import { writeClusterFiles } from '../../project/cluster-files.ts';
import { lastRender, recordRender, renderKeys, sameJob, sameRender, type RenderedPart } from '../../project/render-cache.ts';
import { hasErrors } from '../../validate/diagnostic.ts';
import { placesToCommit } from '../../validate/rules/generated-env-orphan.ts';
import { RENDER_HELP, RENDER_OPTIONS } from '../usage/render.ts';

export async function renderCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('render', argv, RENDER_OPTIONS);
  if (values.help) return io.stdout.write(RENDER_HELP), ExitCode.ok;
  if (positionals.length > 1) throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}`, { hint: 'Usage: drover render <env> [--job ID]' });
  const project = await openProject(io, values, { typecheck: !values['no-typecheck'] });
  const prepared = prepare(project, positionals[0], io);
  if (!reportPrepared(prepared, io, style, 'nothing was written')) return ExitCode.validation;
  const selected = values.job ? prepared.jobs.filter((j) => j.spec.id === values.job) : prepared.jobs;
  if (values.job && selected.length === 0) {
    throw new UsageError(`Unknown job "${values.job}"`, { hint: `Jobs: ${prepared.jobs.map((j) => j.spec.id).join(', ')}. Run \`drover jobs\`.` });
  }
  const gitSha = values['git-sha'] ?? (await currentGitSha(project.root));
  const release = values.release ?? gitSha.slice(0, 12);
  const ctx = { env: prepared.env, project: await projectName(project.root), gitSha, release };
  // The project's own build folder, also under --project (validate reads that one); --out from the cwd.
  const outDir = values.out === undefined ? join(project.root, 'build') : resolve(io.cwd, values.out);
  const outLabel = values.out ?? (relative(io.cwd, outDir) || 'build');
  // The renderers are imported statically although a render whose inputs did not change does not
  // need them: imported on demand they saved ~8 ms of its CPU but raised a full render's peak
  // memory from 129 to 142 MB (500 jobs).
  if (values.check) return checkCommitted(renderOutputs(selected, ctx, prepared.jobs).files, { prepared, buildDir: outDir }, io, style);
  // Unchanged inputs and every file still as the last render left it: nothing to render; else
  // only the jobs that changed, and the files made from every job when a job or the environment
  // changed (render-cache.ts).
  // --out as written too: the printed paths start with it.
  const slot = `${project.root}\0${prepared.env.name}\0${outDir}\0${outLabel}`;
  const keys = renderKeys(ctx, prepared.jobs, selected, values.job ?? null);
  const last = keys && lastRender(project.root, slot);
  let printed = keys && sameRender(last, keys.key);
  if (printed === undefined) {
    const made = new Set<string>();
    const put = (files: Iterable<GeneratedFile>): RenderedPart => {
      const part = { targets: [] as string[], lines: [] as string[] };
      for (const file of files) {
        part.targets.push(writeFile(file, outDir, project.root, made));
        part.lines.push(file.committed ? file.path : join(outLabel, file.path));
      }
      return part;
    };
    const parts: RenderedPart[] = [];
    const byKey: Record<string, RenderedPart> = {};
    selected.forEach((job, i) => {
      const jobKey = keys?.jobKeys[i];
      const part = (jobKey === undefined ? undefined : sameJob(last, jobKey)) ?? put(renderJobFiles(job, ctx));
      if (jobKey !== undefined) byKey[jobKey] = part;
      parts.push(part);
    });
    // The files made from every job: kept while the environment and every job stay (a new commit
    // changes each job's files, not these).
    const configs = (keys && sameJob(last, keys.configKey)) ?? put(renderConfigFiles(ctx, prepared.jobs));
    if (keys) byKey[keys.configKey] = configs;
    parts.push(configs);
    printed = parts.flatMap((part) => part.lines);
    if (keys) recordRender(project.root, slot, keys.key, parts.flatMap((part) => part.targets), printed, byKey);
  }
  for (const line of printed) io.stdout.write(`${line}\n`);
  // The cluster's agent configurations are committed generated files too: refresh them with the rest.
  const cluster = await writeClusterFiles({ root: project.root, env: prepared.env, cluster: prepared.cluster });
  for (const path of cluster.written) io.stdout.write(`${path}\n`);
  for (const path of cluster.removed) io.stderr.write(`${style.yellow('-')} Removed ${path}: no longer rendered for ${prepared.env.name}.\n`);
  // The check validate and --check run; render fixes what it can (its own left-over files) and reports the rest.
  const { removed, folders, remaining } = await tidyGeneratedFiles({ root: project.root, buildDir: outDir, env: prepared.env, jobs: prepared.jobs, cluster: prepared.cluster, environments: definedEnvironments(project) });
  for (const orphan of removed) io.stderr.write(`${style.yellow('-')} Removed ${orphan.location.file}: ${orphan.message.replace(/^.* is left over: /, '')}.\n`);
  for (const folder of folders) io.stderr.write(`${style.yellow('-')} Removed ${folder}: empty once the files above were removed.\n`);
  io.stderr.write(formatDiagnostics(remaining, style));
  if (hasErrors(remaining)) {
    io.stderr.write(`${style.red('✖')} Rendered ${prepared.env.name}, but ${summarizeDiagnostics(remaining)} remain that render cannot fix (see above).\n`);
    return ExitCode.validation;
  }
  io.stderr.write(`${style.green('✔')} Rendered ${selected.length} job${selected.length === 1 ? '' : 's'} for ${prepared.env.name} (${gitSha.slice(0, 12)}).\n`);
  return ExitCode.ok;
}

/**
 * Writes `file` when its content differs from what is there (`made`: the directories made so
 * far) and returns its path. A project of 500 jobs renders a thousand files: one `mkdir` + `writeFile` each through libuv's thread pool took seconds of wall
 * time on a busy machine, and overwriting an existing file (truncate, then write) costs far more
 * than reading it to compare (measured on 1000 rendered files: 325 ms against 17 ms). So:
 * synchronous, and unchanged files are left as they are (their modification time too).
 */
function writeFile(file: GeneratedFile, outDir: string, root: string, made: Set<string>): string {
  const target = file.committed ? join(root, file.path) : join(outDir, file.path);
  const dir = dirname(target);
  if (!made.has(dir)) mkdirSync(dir, { recursive: true }), made.add(dir);
  const bytes = Buffer.from(file.content);
  let fd: number;
  try {
    fd = openSync(target, 'r+');
  } catch {
    writeFileSync(target, bytes); // not there yet (or not writable: writeFileSync says why)
    return target;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === bytes.length && holds(fd, bytes)) return target;
    overwrite(fd, bytes, size);
  } finally {
    closeSync(fd);
  }
  return target;
}

/**
 * Writes `bytes` over the open file of `size` bytes, in place, cutting what is left beyond them.
 * Not truncating first: ext4 flushes a file that was truncated to nothing and written again
 * when it is closed, so a new commit's thousand changed files took 140 ms in `open` alone
 * (1000 files of 9 KB: 21-86 ms truncated, 7-10 ms in place).
 */
function overwrite(fd: number, bytes: Buffer, size: number): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, at);
  if (size > bytes.length) ftruncateSync(fd, bytes.length);
}

/** Where {@link holds} reads the file it compares, a piece at a time. */
const scratch = Buffer.alloc(64 * 1024);

/**
 * Whether the open file, as long as `bytes`, holds exactly them, compared 64 KB at a time. The
 * jobs dashboard of 500 jobs is 5.7 MB with non-ASCII characters in it (em dashes): the old file
 * decoded to compare as a string was an 11 MB two-byte string at the render's peak, and read
 * whole still 5.7 MB more (a full render of 500 jobs: 142-146 MB, 134-137 MB as bytes, ~130 MB
 * in pieces).
 */
function holds(fd: number, bytes: Buffer): boolean {
  for (let at = 0; at < bytes.length; ) {
    const read = readSync(fd, scratch, 0, Math.min(scratch.length, bytes.length - at), at);
    if (read === 0 || scratch.compare(bytes, at, at + read, 0, read) !== 0) return false;
    at += read;
  }
  return true;
}

async function checkCommitted(files: readonly GeneratedFile[], { prepared, buildDir }: { prepared: Prepared; buildDir: string }, io: CliIo, style: Style): Promise<number> {
  const root = prepared.project.root;
  // The check `validate` runs: stale or hand-edited policies (coverage, minimality, role bindings)
  // and left-over files in vault-policies/<env>/ and build/<env>/ fail here too.
  const problems = await checkGeneratedFiles({ root, buildDir, jobs: prepared.jobs, env: prepared.env, cluster: prepared.cluster, environments: definedEnvironments(prepared.project) });
  if (hasErrors(problems)) {
    throw new ValidationError(`Generated files are not right for ${prepared.env.name}`, problems, {
      hint: renderHint(prepared.env.name, committedPaths(problems.filter((d) => d.severity === 'error').map((d) => d.location.file), { root, buildDir }), { removes: true }),
    });
  }
  io.stderr.write(formatDiagnostics(problems, style)); // warnings, as validate prints them
  const stale: string[] = [];
  const labels: string[] = [];
  for (const file of files.filter((f) => f.committed)) {
    const current = await readFile(join(root, file.path), 'utf8').catch(() => undefined);
    if (current === file.content) continue;
    stale.push(file.path);
    labels.push(`${file.path}${current === undefined ? ' (missing)' : ''}`);
  }
  if (stale.length === 0) {
    io.stderr.write(`${style.green('✔')} Committed generated files are up to date.\n`);
    return ExitCode.ok;
  }
  throw new DroverError(`Generated files are stale: ${labels.join(', ')}`, ExitCode.validation, {
    hint: renderHint(prepared.env.name, stale, { removes: false }),
  });
}

/** The paths among `paths` (as diagnostics name them) that are committed: not in the git-ignored build folder. */
function committedPaths(paths: readonly string[], { root, buildDir }: { root: string; buildDir: string }): string[] {
  return paths.filter((path) => relative(buildDir, resolve(root, path)).startsWith('..'));
}

/**
 * What `render --check` tells to run, and to commit then: the places of the committed `paths` it
 * found wrong (every generated place of the environment when one lies outside them).
 */
function renderHint(envName: string, paths: readonly string[], { removes }: { removes: boolean }): string {
  const run = `Run \`npm run render -- ${envName}\`${removes ? ' (it also removes left-over files)' : ''}`;
  // The environment's own agent configs are written by `drover cluster render`, not by render.
  const clusterDir = `cluster/${envName}/`;
  const cluster = paths.filter((path) => path.startsWith(clusterDir));
  const others = paths.filter((path) => !path.startsWith(clusterDir));
  const clusterHint = `Run \`drover cluster render ${envName}\` and commit ${clusterDir}.`;
  if (cluster.length > 0 && others.length === 0) return clusterHint;
  const main = others.length === 0 ? `${run}; the build folder is not committed.` : `${run} and commit ${placesToCommit(others, envName).join(', ')}.`;
  return cluster.length > 0 ? `${main} ${clusterHint}` : main;
}

