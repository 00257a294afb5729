import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run-cli.ts';

/**
 * A throwaway copy of this project (jobs/, environments/, fabio/, vault-policies/, package.json) whose src/ and
 * node_modules/ link back to the repository, so a test can render into it without touching the
 * working tree. Returns the directory and a cleanup function.
 */
export async function tempProject(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-project-'));
  for (const name of ['jobs', 'environments', 'fabio', 'vault-policies', 'package.json']) await cp(join(repoRoot, name), join(dir, name), { recursive: true });
  await symlink(join(repoRoot, 'src'), join(dir, 'src'));
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` with its content, keyed by relative path (empty when `dir` is missing). */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}
