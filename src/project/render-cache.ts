import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `drover render` remembers of its last run per environment and output directory, under
 * `<root>/node_modules/.cache/drover/`, so that a render whose inputs did not change skips
 * rendering: the Nomad JSON and HCL, policies and dashboards of 500 jobs are ~20 MB of text, and
 * producing them (then reading every file back to compare) was ~350 ms and ~60 MB of a warm
 * render's ~750 ms and ~170 MB.
 *
 * The key is a hash of everything rendering reads — drover's own build, the built job specs of
 * every job, the environment, project name, commit and release, the selected jobs — taken after
 * the definitions ran, so a job that reads a file while loading is covered too. A hit also needs
 * every file written last time to be on disk as it was left (size, modification time, inode):
 * a hand-edited, replaced or deleted generated file makes it a miss, and render writes it again.
 */
export interface RenderRecord {
  readonly format: number;
  readonly key: string;
  /** Absolute path → [size, mtimeMs, ino] after the render wrote (or kept) it. */
  readonly files: Record<string, [number, number, number]>;
  /** The paths render printed, in order. */
  readonly lines: string[];
  /** Per job key: the files it rendered to and the lines they printed. */
  readonly jobs: Record<string, RenderedPart>;
}

/** What one job rendered to: its files (absolute) and the lines render printed for them. */
export interface RenderedPart {
  readonly targets: string[];
  readonly lines: string[];
}

/** The keys of one render: of everything it reads, of each selected job with the context, and of the files made from every job. */
export interface RenderKeys {
  readonly key: string;
  readonly jobKeys: string[];
  /**
   * Of the files made from every job (Fabio properties, Vault policies, dashboards, Vector
   * configs): the environment and every job's spec, not the commit or release, so a render of a
   * new commit keeps them (the dashboards alone were ~90 ms and the peak memory of such a render).
   */
  readonly configKey: string;
}

/** Bumped when the entry's shape or the key's meaning changes. */
const FORMAT = 3;

/** Set by bin/drover.mjs to the compiled CLI's URL, whose `cli-<hash>` directory names drover's build. */
const COMPILED_CLI_URL = Symbol.for('drover.compiled-cli-url');

/**
 * drover's own build — its `cli-<hash>` directory (a hash of the compiled code) and the build's
 * manifest, whose recorded inputs include the npm packages it loads (handlebars renders the Fabio
 * properties) — or undefined when drover runs from its sources through tsx (tests, a checkout
 * whose build failed): then nothing identifies the code that renders, and render does not cache.
 */
function droverBuild(): string | undefined {
  const url = (globalThis as Record<symbol, unknown>)[COMPILED_CLI_URL];
  if (typeof url !== 'string') return undefined;
  const dir = /\/cli-([0-9a-f]+)\/main\.js$/.exec(url)?.[1];
  if (dir === undefined) return undefined;
  try {
    return `${dir}\0${readFileSync(new URL('../cli.json', url), 'utf8')}`;
  } catch {
    return undefined;
  }
}

/**
 * The keys of a render of `selected` jobs out of `jobs` in `ctx` (plain values: specs,
 * environment, commit…; `only` is --job), or undefined when this render cannot be cached.
 * The files made from every job read `ctx.env` and the jobs only (render/outputs.ts configFiles).
 * Functions count by their source text and Maps and Sets by their entries, so no part of a spec
 * is invisible to a key.
 */
export function renderKeys<Context extends { readonly env: unknown }>(ctx: Context, jobs: readonly { spec: { id: string } }[], selected: readonly { spec: { id: string } }[], only: string | null): RenderKeys | undefined {
  const build = droverBuild();
  if (build === undefined) return undefined;
  try {
    const digest = (value: unknown) => createHash('sha256').update(`${FORMAT}\0${build}\0`).update(JSON.stringify(value, stable)).digest('hex');
    const context = digest(ctx);
    const specs = new Map(jobs.map((job) => [job.spec.id, digest(job)]));
    const jobKey = (job: { spec: { id: string } }) => digest([context, specs.get(job.spec.id) ?? digest(job)]);
    const key = digest([context, jobs.map(jobKey), only]);
    return { key, jobKeys: selected.map(jobKey), configKey: digest(['configs', ctx.env, [...specs.values()]]) };
  } catch {
    return undefined; // a cycle
  }
}

function stable(_key: string, value: unknown): unknown {
  if (typeof value === 'function') return `function:${String(value)}`;
  if (typeof value === 'bigint') return `bigint:${value}`;
  if (value instanceof Map) return { map: [...value] };
  if (value instanceof Set) return { set: [...value] };
  if (value instanceof RegExp) return `regexp:${String(value)}`;
  return value;
}

function entryPath(root: string, slot: string): string {
  return join(root, 'node_modules', '.cache', 'drover', `render-${createHash('sha256').update(slot).digest('hex').slice(0, 16)}.json`);
}

function fileState(path: string): [number, number, number] | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? [stats.size, stats.mtimeMs, stats.ino] : undefined;
}

/** The last render's record in `slot` (environment and output directory), if any. */
export function lastRender(root: string, slot: string): RenderRecord | undefined {
  try {
    const entry = JSON.parse(readFileSync(entryPath(root, slot), 'utf8')) as RenderRecord;
    return entry.format === FORMAT ? entry : undefined;
  } catch {
    return undefined;
  }
}

function untouched(entry: RenderRecord, targets: Iterable<string>): boolean {
  for (const path of targets) {
    const then = entry.files[path];
    const now = fileState(path);
    if (!then || !now || now[0] !== then[0] || now[1] !== then[1] || now[2] !== then[2]) return false;
  }
  return true;
}

/** The lines `entry`'s render printed, when it rendered the same `key` and every file it left is still as it left it. */
export function sameRender(entry: RenderRecord | undefined, key: string): readonly string[] | undefined {
  return entry?.key === key && untouched(entry, Object.keys(entry.files)) ? entry.lines : undefined;
}

/** What `entry`'s render made of the job keyed `jobKey`, when it did and those files are untouched. */
export function sameJob(entry: RenderRecord | undefined, jobKey: string): RenderedPart | undefined {
  const part = entry?.jobs[jobKey];
  return part && untouched(entry, part.targets) ? part : undefined;
}

/** Records a render of `key` that left `targets` on disk, printed `lines` and made `jobs` (by job key). Best effort. */
export function recordRender(root: string, slot: string, key: string, targets: readonly string[], lines: readonly string[], jobs: Record<string, RenderedPart>): void {
  const files: RenderRecord['files'] = {};
  for (const target of targets) {
    const state = fileState(target);
    if (!state) return; // removed meanwhile: nothing to vouch for
    files[target] = state;
  }
  const path = entryPath(root, slot);
  try {
    mkdirSync(join(root, 'node_modules', '.cache', 'drover'), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ format: FORMAT, key, files, lines: [...lines], jobs } satisfies RenderRecord));
    renameSync(temporary, path);
  } catch {
    // An unwritable cache only means the next render renders again.
  }
}
