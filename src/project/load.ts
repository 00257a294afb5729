import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Environment } from '../config/environment.ts';
import { exclusionReason, type JobDefinition } from '../model/define-job.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import type { ModuleImporter } from './bundle.ts';
import { codeFrame, syntaxErrorPosition } from './code-frame.ts';
import { ensureTypeScriptImports } from './typescript-imports.ts';
import type { LoadedJob } from '../model/loaded-job.ts';

/** Where a project's definitions live. */
export interface ProjectLayout {
  /** Project root; file names in diagnostics are relative to it. */
  readonly root: string;
  /** @default "<root>/jobs" */
  readonly jobsDir?: string;
  /** @default "<root>/environments" */
  readonly environmentsDir?: string;
}

export interface LoadedModule<T> {
  readonly file: string;
  readonly value: T;
}

export interface LoadResult<T> {
  readonly modules: LoadedModule<T>[];
  readonly diagnostics: Diagnostic[];
}

/** Lists `*.ts` modules of a directory (not `index.ts`, not `*.d.ts`), sorted. */
export async function listModules(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && e.name !== 'index.ts')
    .map((e) => join(dir, e.name))
    .sort();
}

/**
 * Imports each module's default export, turning import failures into located diagnostics.
 * `importModule` is the project bundle's importer when there is one (see bundle.ts).
 */
export async function importDefaults<T>(
  root: string,
  files: readonly string[],
  accept: (value: unknown) => value is T,
  expected: string,
  importModule: ModuleImporter = importFile,
): Promise<LoadResult<T>> {
  const modules: LoadedModule<T>[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of files) {
    const file = relative(root, path);
    try {
      const imported = (await importModule(path)) as { default?: unknown };
      if (accept(imported.default)) modules.push({ file, value: imported.default });
      else diagnostics.push(loadProblem(file, `does not default-export ${expected}`, `End the file with \`export default ${expected}\`.`));
    } catch (error) {
      diagnostics.push(await importProblem(file, path, error));
    }
  }
  return { modules, diagnostics };
}

/**
 * Imports one file as its own module, through the TypeScript loader the process runs with (tsx,
 * or vitest's). The modification time in the URL makes a long-lived process (tests, watch mode)
 * see edits.
 */
export async function importFile(path: string): Promise<unknown> {
  await ensureTypeScriptImports();
  const version = Math.round((await stat(path)).mtimeMs * 1000);
  return import(`${pathToFileURL(path).href}?mtime=${version}`);
}

/** A job definition that says it is not deployed to the environment (`excludeFrom`). */
export interface ExcludedJob {
  readonly file: string;
  /** The file's name without `.ts`: the job is not built, so its ID is not known. */
  readonly name: string;
  readonly reason: string;
}

/**
 * Builds every job for `env`, except those excluded from it (not built at all). A build function
 * that throws becomes a diagnostic, not a crash.
 */
export function buildJobs(
  definitions: readonly LoadedModule<JobDefinition>[],
  env: Environment,
): { jobs: LoadedJob[]; excluded: ExcludedJob[]; diagnostics: Diagnostic[] } {
  const jobs: LoadedJob[] = [];
  const excluded: ExcludedJob[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { file, value } of definitions) {
    const reason = exclusionReason(value, env.name);
    if (reason !== undefined) {
      excluded.push({ file, name: basename(file).replace(/\.ts$/, ''), reason });
      continue;
    }
    try {
      const spec = value.build(env);
      if (spec === null || typeof spec !== 'object') {
        diagnostics.push(loadProblem(file, `returned ${spec === null ? 'null' : typeof spec} instead of a job`, 'Return the job object from defineJob((env) => ({ … })).'));
      } else {
        jobs.push({ file, spec });
      }
    } catch (error) {
      diagnostics.push(loadProblem(file, `threw while building for environment "${env.name}": ${describe(error)}`, 'Fix the job function; it must build for every environment it is not excluded from (excludeFrom).'));
    }
  }
  return { jobs, excluded, diagnostics };
}

export function isJobDefinition(value: unknown): value is JobDefinition {
  return typeof value === 'object' && value !== null && (value as JobDefinition).kind === 'drover.job' && typeof (value as JobDefinition).build === 'function';
}

export function isEnvironment(value: unknown): value is Environment {
  return typeof value === 'object' && value !== null && typeof (value as Environment).name === 'string' && typeof (value as Environment).pick === 'function';
}

/**
 * A module that does not import. A syntax error is shown at its file:line:col with the lines
 * around it (esbuild's own message says only "Transform failed with 1 error").
 */
async function importProblem(file: string, path: string, error: unknown): Promise<Diagnostic> {
  const position = syntaxErrorPosition(error);
  const source = position && resolve(position.file) === resolve(path) ? await readFile(path, 'utf8').catch(() => undefined) : undefined;
  if (!position || source === undefined) {
    return loadProblem(file, `could not be loaded: ${describe(error)}`, 'Fix the error in that file; run `npm run typecheck` for type errors.');
  }
  return {
    rule: 'load/module',
    severity: 'error',
    message: `${file} could not be loaded: ${position.text}\n${indent(codeFrame(source, position.line, position.column))}`,
    location: { file, path: '', line: position.line, column: position.column },
    hint: `Fix the syntax at ${file}:${position.line}:${position.column}, then run \`drover validate\` again.`,
  };
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}

function loadProblem(file: string, message: string, hint: string): Diagnostic {
  return { rule: 'load/module', severity: 'error', message: `${file} ${message}`, location: { file, path: '' }, hint };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n', 1)[0] ?? error.name : String(error);
}
