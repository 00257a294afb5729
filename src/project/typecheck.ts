import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Diagnostic } from '../validate/diagnostic.ts';

/** Rule id of every diagnostic this module produces. */
export const TYPECHECK_RULE = 'types/tsc';

/** What {@link typecheckProject} checks: the project's own definitions, with its own TypeScript. */
export interface TypecheckInput {
  readonly root: string;
  /** Directories whose `.ts` files are checked (jobs/ and environments/); errors elsewhere are not drover's to report. */
  readonly dirs: readonly string[];
  /** Runs a program; injected by tests. @default execFile with a 2-minute timeout */
  readonly run?: RunProgram;
}

export type RunProgram = (file: string, args: readonly string[], cwd: string) => Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>;

/**
 * Type-checks jobs/ and environments/ with the project's `node_modules/.bin/tsc` (or the nearest
 * one above it), which is the only interface TypeScript 7 has (no JS API): a generated tsconfig
 * that extends the project's
 * own (if any) and includes only those directories, run as a subprocess, incremental, with its
 * build info under `node_modules/.cache/drover/`. A project without TypeScript gets a warning.
 *
 * tsc itself is not started when nothing it read changed since a clean check of the same
 * project content: the `.ts` files under `dirs`, tsconfig.json and package.json (by content, and
 * by path from the root, so a copy of a project at another root, as tests make, counts as the
 * same), and every other file tsc listed then (`--listFiles`: drover's types, @types,
 * TypeScript's libs; by size and modification time). Even an incremental tsc costs 0.3–0.6 s;
 * this, a few milliseconds.
 */
export async function typecheckProject(input: TypecheckInput): Promise<Diagnostic[]> {
  const { root } = input;
  const tsc = await findTsc(root);
  if (tsc === undefined) return [noTypeScript()];
  const cacheDir = join(root, 'node_modules', '.cache', 'drover');
  await mkdir(cacheDir, { recursive: true });
  // One config per project root: tests run several copies of a project at once on one node_modules.
  const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const configPath = join(cacheDir, `typecheck-${id}.json`);
  const config = typecheckConfig({ root, dirs: input.dirs, buildInfo: join(cacheDir, `typecheck-${id}.tsbuildinfo`), extendsConfig: (await exists(join(root, 'tsconfig.json'))) ? join(root, 'tsconfig.json') : undefined });
  const configText = `${JSON.stringify(config, null, 2)}\n`;
  // The config as it decides tsc's answer: without this root's build info file, the root as `<root>`.
  const answerConfig = JSON.stringify({ ...config, compilerOptions: { ...(config.compilerOptions as object), tsBuildInfoFile: undefined } }).split(root).join('<root>');
  const { key, files } = projectKey({ root, dirs: input.dirs, configText: answerConfig });
  const context: CheckContext = { root, tsc, key, keyed: new Set(files.map((f) => `<root>/${f}`)) };
  const cleanPath = join(cacheDir, `typecheck-clean-${key.slice(0, 20)}.json`);
  if (await unchangedSinceCleanCheck(cleanPath, context)) return [];
  if ((await readFile(configPath, 'utf8').catch(() => undefined)) !== configText) await writeFile(configPath, configText);
  const result = await (input.run ?? runProgram)(tsc, ['-p', configPath, '--pretty', 'false', '--listFiles'], root);
  const { listed, output } = splitListedFiles(result.stdout);
  const diagnostics = parseTscOutput(output, root, input.dirs);
  if (result.code !== 0 && diagnostics.length === 0 && !hasDiagnosticsOutside(output)) return [tscFailed({ ...result, stdout: output })];
  if (result.code === 0 && diagnostics.length === 0 && listed.length > 0) await recordCleanCheck(cleanPath, context, listed);
  await forgetRemovedProjects(cacheDir);
  return diagnostics;
}

/**
 * The config and build info of projects that no longer exist (tests check hundreds of temporary
 * copies on one node_modules), and old clean-check records. A config's first include is
 * `<root>/jobs/**\/*.ts`.
 */
async function forgetRemovedProjects(cacheDir: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  // Clean-check records are kept per project content: one per edit; a day is enough to come back to one.
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of names.filter((n) => /^typecheck-clean-[0-9a-f]+\.json$/.test(n))) {
    const found = statSync(join(cacheDir, name), { throwIfNoEntry: false });
    if (found && found.mtimeMs < dayAgo) await rm(join(cacheDir, name), { force: true });
  }
  for (const name of names.filter((n) => /^typecheck-[0-9a-f]{12}\.json$/.test(n))) {
    const config = await readFile(join(cacheDir, name), 'utf8').then((text) => JSON.parse(text) as { include?: unknown }, () => undefined);
    const first = Array.isArray(config?.include) ? config.include[0] : undefined;
    const root = typeof first === 'string' ? /^(.*)[\\/]jobs[\\/]\*\*[\\/]\*\.ts$/.exec(first)?.[1] : undefined;
    if (root === undefined || statSync(root, { throwIfNoEntry: false })) continue;
    const id = name.slice(0, -'.json'.length);
    await Promise.all([`${id}.json`, `${id}.tsbuildinfo`, `${id}.clean.json`].map((file) => rm(join(cacheDir, file), { force: true })));
  }
}

/** What decides whether tsc's last clean answer still holds. */
interface CheckContext {
  readonly root: string;
  readonly tsc: string;
  /** {@link projectKey} of the project. */
  readonly key: string;
  /** The files the key already hashed, as `<root>/…`. */
  readonly keyed: ReadonlySet<string>;
}

/**
 * `--listFiles` output apart from the diagnostics: tsc prints each file it read as an absolute
 * path on a line of its own, after the diagnostics. Pure.
 */
export function splitListedFiles(stdout: string): { listed: string[]; output: string } {
  const listed: string[] = [];
  const rest: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (isAbsolute(line) && !/\(\d+,\d+\): /.test(line) && /\.[cm]?[jt]sx?$|\.json$/.test(line)) listed.push(line);
    else rest.push(line);
  }
  return { listed, output: rest.join('\n') };
}

async function unchangedSinceCleanCheck(cleanPath: string, context: CheckContext): Promise<boolean> {
  const text = await readFile(cleanPath, 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  try {
    const clean = JSON.parse(text) as { digest?: unknown; listed?: unknown };
    if (typeof clean.digest !== 'string' || !Array.isArray(clean.listed)) return false;
    return listedDigest(context, clean.listed as string[]) === clean.digest;
  } catch {
    return false;
  }
}

async function recordCleanCheck(cleanPath: string, context: CheckContext, listed: readonly string[]): Promise<void> {
  const inRoot = `${context.root}${sep}`;
  const portable = listed.map((path) => (path.startsWith(inRoot) ? `<root>/${relative(context.root, path).split(sep).join('/')}` : path));
  const digest = listedDigest(context, portable);
  const temporary = `${cleanPath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ digest, listed: portable })}\n`);
  await rename(temporary, cleanPath);
}

/**
 * The project's side of the key: the config tsc answers to, and the path from the root and sha256
 * of each `.ts` file under `dirs`, of tsconfig.json and of package.json. Two copies of one
 * project have the same key.
 */
function projectKey(project: { root: string; dirs: readonly string[]; configText: string }): { key: string; files: string[] } {
  const hash = createHash('sha256').update(project.configText);
  const paths = [...project.dirs.flatMap(tsFilesUnder).sort(), join(project.root, 'tsconfig.json'), join(project.root, 'package.json')];
  const files = paths.map((path) => relative(project.root, path).split(sep).join('/'));
  paths.forEach((path, i) => hash.update(`\n${files[i]}\0${contentHash(path)}`));
  return { key: hash.digest('hex'), files };
}

/**
 * The rest of what tsc read: files inside the root (written `<root>/…`) by content, files outside
 * it (drover's sources through a link, @types, TypeScript's libs) and the compiler by size and
 * modification time. Synchronous: several hundred stat calls finish sooner in a row than through
 * the thread pool.
 */
function listedDigest(context: CheckContext, listed: readonly string[]): string {
  const hash = createHash('sha256').update(context.key);
  const compiler = realpathOrSelf(context.tsc);
  for (const entry of [...listed, compiler]) {
    if (context.keyed.has(entry)) continue;
    if (entry.startsWith('<root>/')) {
      hash.update(`\n${entry}\0${contentHash(join(context.root, entry.slice('<root>/'.length)))}`);
    } else {
      const found = statSync(entry, { throwIfNoEntry: false });
      hash.update(`\n${entry}\0${found ? `${found.size}:${found.mtimeMs}` : '-'}`);
    }
  }
  return hash.digest('hex');
}

function contentHash(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '-';
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function tsFilesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/** The generated tsconfig: the project's settings, only the definitions, no output. Pure. */
export function typecheckConfig(options: { root: string; dirs: readonly string[]; buildInfo: string; extendsConfig?: string | undefined }): Record<string, unknown> {
  const defaults = {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, allowImportingTsExtensions: true,
    verbatimModuleSyntax: true, resolveJsonModule: true, skipLibCheck: true,
  };
  return {
    ...(options.extendsConfig ? { extends: options.extendsConfig } : {}),
    compilerOptions: { ...(options.extendsConfig ? {} : defaults), noEmit: true, incremental: true, tsBuildInfoFile: options.buildInfo },
    include: options.dirs.map((dir) => `${dir}/**/*.ts`),
    exclude: [],
  };
}

/**
 * Diagnostics from `tsc --pretty false` output (`file(line,col): error TS1234: message`, with the
 * message's elaboration on the indented lines after it), only for files under `dirs`. Pure.
 */
export function parseTscOutput(stdout: string, root: string, dirs: readonly string[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  let current: { diagnostic: Diagnostic; details: string[] } | undefined;
  const flush = () => {
    if (current) found.push({ ...current.diagnostic, message: [current.diagnostic.message, ...current.details].join('\n    ') });
    current = undefined;
  };
  for (const line of stdout.split(/\r?\n/)) {
    const located = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/.exec(line);
    if (located) {
      flush();
      const [, file = '', row = '0', col = '0', severity, code, message = ''] = located;
      const absolute = isAbsolute(file) ? file : join(root, file);
      if (!dirs.some((dir) => absolute === dir || absolute.startsWith(dir + sep))) continue;
      current = {
        diagnostic: {
          rule: TYPECHECK_RULE,
          severity: severity === 'warning' ? 'warning' : 'error',
          message: `${code}: ${message}`,
          location: { file: relative(root, absolute).split(sep).join('/'), path: '', line: Number(row), column: Number(col) },
          hint: 'Fix the type error: drover would build the job from a definition TypeScript rejects. Run `npx tsc --noEmit` for the full picture.',
        },
        details: [],
      };
    } else if (current && /^\s+\S/.test(line)) {
      current.details.push(line.trim());
    } else if (line.trim()) {
      flush();
    }
  }
  flush();
  return found;
}

function hasDiagnosticsOutside(stdout: string): boolean {
  return /^.+\(\d+,\d+\): error TS\d+/m.test(stdout);
}

function noTypeScript(): Diagnostic {
  return {
    rule: TYPECHECK_RULE,
    severity: 'warning',
    message: 'jobs/ and environments/ were not type-checked: this project has no TypeScript (node_modules/.bin/tsc is missing)',
    location: { file: 'node_modules/.bin/tsc', path: '' },
    hint: 'Run `npm install --save-dev typescript` so that drover catches type errors (a missing environment in env.pick, a misspelt key) before rendering; pass --no-typecheck to skip on purpose.',
  };
}

function tscFailed(result: { code: number; stdout: string; stderr: string }): Diagnostic {
  const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(0, 5).join('\n    ');
  return {
    rule: TYPECHECK_RULE,
    severity: 'error',
    message: `tsc exited with ${result.code} without a located error: ${output || '(no output)'}`,
    location: { file: 'tsconfig.json', path: '' },
    hint: 'Run `npx tsc --noEmit` in the project to see why; pass --no-typecheck to skip the check meanwhile.',
  };
}

/**
 * The project's `node_modules/.bin/tsc`, else the nearest one above it, as Node resolves
 * packages: a project in a subfolder of a repository (examples/local-pipeline) uses the
 * repository's TypeScript.
 */
export async function findTsc(root: string): Promise<string | undefined> {
  const name = process.platform === 'win32' ? 'tsc.cmd' : 'tsc';
  for (let dir = root; ; dir = dirname(dir)) {
    const tsc = join(dir, 'node_modules', '.bin', name);
    if (await exists(tsc)) return tsc;
    if (dirname(dir) === dir) return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

const runProgram: RunProgram = (file, args, cwd) =>
  new Promise((resolve) => {
    execFile(file, [...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: error && !stderr ? error.message : String(stderr) });
    });
  });
