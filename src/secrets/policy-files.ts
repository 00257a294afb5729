import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENERATED_MARKER } from './derive.ts';

/** Folder (relative to the project root) holding Vault policies and JWT roles. */
export const POLICIES_DIR = 'vault-policies';

/** A file under `vault-policies/`, path relative to the project root with `/` separators. */
export interface PolicyFile {
  readonly path: string;
  readonly content: string;
}

/** How the checker treats a file under `vault-policies/` for one environment. */
export type PolicyFileKind =
  /** `vault-policies/<env>/<job>.hcl`: a job's policy (Terraform applies it as `drover-<job>`). */
  | { readonly kind: 'job-policy'; readonly jobId: string }
  /** `vault-policies/<env>/roles/<job>.json`: a job's JWT role. */
  | { readonly kind: 'job-role'; readonly jobId: string }
  /** Another environment's generated policy: only its syntax is this environment's business. */
  | { readonly kind: 'generated-elsewhere' }
  /** Any other `.hcl`, e.g. `drover-deployer.hcl`: must never read secret values. */
  | { readonly kind: 'hand-written' }
  /** Not a policy (README, other environments' roles). */
  | { readonly kind: 'other' };

/**
 * Reads every file under `<root>/vault-policies/`, sorted by path. A project without the folder
 * has no files (the checker then reports the missing policies).
 */
export async function readPolicyFiles(root: string): Promise<PolicyFile[]> {
  const found: PolicyFile[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await readdir(join(root, relative), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push({ path, content: await readFile(join(root, path), 'utf8') });
    }
  }
  await walk(POLICIES_DIR);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Classifies a file by where it lives and, outside this environment's folder, by its header. */
export function classifyPolicyFile(file: PolicyFile, envName: string): PolicyFileKind {
  const own = `${POLICIES_DIR}/${envName}/`;
  if (file.path.startsWith(own)) {
    const rest = file.path.slice(own.length);
    const policy = /^([^/]+)\.hcl$/.exec(rest);
    if (policy) return { kind: 'job-policy', jobId: policy[1] as string };
    const role = /^roles\/([^/]+)\.json$/.exec(rest);
    if (role) return { kind: 'job-role', jobId: role[1] as string };
  }
  if (!file.path.endsWith('.hcl')) return { kind: 'other' };
  // Only the first comment line counts, so a hand-written policy cannot opt out by quoting it later.
  const firstLine = file.content.split('\n', 1)[0] ?? '';
  return firstLine.startsWith(`# ${GENERATED_MARKER}`) ? { kind: 'generated-elsewhere' } : { kind: 'hand-written' };
}
