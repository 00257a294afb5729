import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run-cli.ts';

/** Options of {@link tempProject}. */
export interface TempProjectOptions {
  /**
   * `standalone`: prod no longer takes releases from qa and promotes canaries manually, so qa
   * records no release and prod deploys the working tree. For tests of the deploy engine itself
   * (locks, watch, promote, rollback), which the release gate would otherwise stand in front of.
   * @default "as-is"
   */
  readonly environments?: 'as-is' | 'standalone';
}

/** The promotion line of environments/prod.ts, replaced for standalone projects. */
const PROD_PROMOTION = /^ {2}promotion: \{[^\n]*releasesFrom: 'qa'[^\n]*\},$/m;

/**
 * A throwaway copy of this project (jobs/, environments/, fabio/, vault-policies/, grafana/, cluster/, package.json) whose src/ and
 * node_modules/ link back to the repository, so a test can render into it without touching the
 * working tree. Returns the directory and a cleanup function.
 */
export async function tempProject(options: TempProjectOptions = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-project-'));
  for (const name of ['jobs', 'environments', 'fabio', 'vault-policies', 'grafana', 'cluster', 'package.json']) await cp(join(repoRoot, name), join(dir, name), { recursive: true });
  await symlink(join(repoRoot, 'src'), join(dir, 'src'));
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  if (options.environments === 'standalone') {
    const file = join(dir, 'environments/prod.ts');
    const text = await readFile(file, 'utf8');
    if (!PROD_PROMOTION.test(text)) throw new Error(`tempProject: no promotion line with releasesFrom 'qa' in ${file}; update PROD_PROMOTION`);
    await writeFile(file, text.replace(PROD_PROMOTION, "  promotion: { canary: 'manual', confirm: false, prune: false },"));
  }
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
