import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run-cli.ts';

/**
 * A throwaway copy of `examples/<name>` at the same depth as in the repository
 * (`<tmp>/examples/<name>`), beside links to the repository's src/, node_modules/ and
 * examples/apps/: the example's `../../../src` imports and `${meta.drover_checkout}/../apps`
 * paths resolve as they do in the checkout, and whatever drover writes (state under .drover/,
 * build/, caches) stays out of the working tree. Returns the project directory and a cleanup.
 */
export async function tempExampleProject(name: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const top = await mkdtemp(join(tmpdir(), 'drover-example-'));
  const dir = join(top, 'examples', name);
  await mkdir(join(top, 'examples'));
  const source = join(repoRoot, 'examples', name);
  // Leave out what the example's own runs left behind in the checkout (caches, build/, .drover/).
  const skipped = ['node_modules', 'build', '.drover'].map((folder) => join(source, folder));
  await cp(source, dir, { recursive: true, filter: (path) => !skipped.some((s) => path === s || path.startsWith(`${s}/`)) });
  await symlink(join(repoRoot, 'src'), join(top, 'src'));
  await symlink(join(repoRoot, 'node_modules'), join(top, 'node_modules'));
  await symlink(join(repoRoot, 'examples', 'apps'), join(top, 'examples', 'apps'));
  return { dir, cleanup: () => rm(top, { recursive: true, force: true }) };
}
