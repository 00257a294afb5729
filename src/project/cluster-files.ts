/**
 * The committed cluster files (`cluster/<env>/`): rendered, written, and checked the same way by
 * `drover cluster render`, `drover render`, `render --check` and `validate`, so that all of them
 * agree on whether they are up to date.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Cluster } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import { clusterOutputDir } from '../render/cluster/output-dir.ts';
import type { GeneratedFile } from '../render/generated-file.ts';
import { GENERATED_MARKER } from '../secrets/derive.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import type { LoadedModule } from './load.ts';

export const CLUSTER_STALE = 'cluster/stale';
export const CLUSTER_ORPHAN = 'cluster/orphan';

export interface ClusterFilesInput {
  readonly root: string;
  readonly env: Environment;
  /** The environment's cluster; without one, `cluster/<env>/` should not exist. */
  readonly cluster?: LoadedModule<Cluster> | undefined;
}

/** What `drover cluster render` writes for the environment (nothing without a cluster). */
export async function renderClusterFiles(input: ClusterFilesInput): Promise<GeneratedFile[]> {
  if (!input.cluster) return [];
  // Loaded only for an environment with a cluster: the renderer brings handlebars and the Fabio
  // properties template, ~15 ms of every validate and render of a project without one.
  const [{ renderCluster }, { readClusterTemplates }] = await Promise.all([import('../render/cluster/render-cluster.ts'), import('./cluster-templates.ts')]);
  return renderCluster({ cluster: input.cluster.value, env: input.env, source: input.cluster.file, templates: await readClusterTemplates() });
}

/** Stale, missing and left-over files under `cluster/<env>/`, as errors with the command that fixes them. */
export async function checkClusterFiles(input: ClusterFilesInput): Promise<Diagnostic[]> {
  const expected = await renderClusterFiles(input);
  const present = await listFiles(input.root, clusterOutputDir(input.env.name));
  const fix = `Run \`drover cluster render ${input.env.name}\` and commit cluster/${input.env.name}/.`;
  const found: Diagnostic[] = [];
  for (const file of expected) {
    const current = await readFile(join(input.root, file.path), 'utf8').catch(() => undefined);
    if (current === file.content) continue;
    const why = current === undefined ? 'is missing' : `is stale: ${input.cluster?.file} renders it differently`;
    found.push({ rule: CLUSTER_STALE, severity: 'error', message: `${file.path} ${why}`, location: { file: file.path, path: '' }, hint: fix });
  }
  const wanted = new Set(expected.map((f) => f.path));
  for (const path of present.filter((p) => !wanted.has(p))) {
    const reason = input.cluster ? `${input.cluster.file} no longer renders it` : `${input.env.name} has no cluster definition (environments/clusters/)`;
    found.push({ rule: CLUSTER_ORPHAN, severity: 'error', message: `${path} is left over: ${reason}`, location: { file: path, path: '' }, hint: `${fix} (it removes the files drover generated).` });
  }
  return found;
}

/** Writes the environment's cluster files and removes the ones drover generated that it no longer renders. */
export async function writeClusterFiles(input: ClusterFilesInput): Promise<{ written: string[]; removed: string[] }> {
  const files = await renderClusterFiles(input);
  for (const file of files) {
    const target = join(input.root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, { mode: file.path.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const wanted = new Set(files.map((f) => f.path));
  const removed: string[] = [];
  for (const path of (await listFiles(input.root, clusterOutputDir(input.env.name))).filter((p) => !wanted.has(p))) {
    const content = await readFile(join(input.root, path), 'utf8');
    // Only what drover wrote: its marker sits in the first lines (after a shebang or #cloud-config).
    if (!content.split('\n', 3).some((line) => line.includes(GENERATED_MARKER))) continue;
    await rm(join(input.root, path));
    removed.push(path);
  }
  return { written: files.map((f) => f.path), removed };
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/')).sort();
}
