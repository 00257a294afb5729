import { $ } from 'zx';

/**
 * The commit being rendered: `git rev-parse HEAD`, with `-dirty` when the work tree has
 * uncommitted changes (so a deploy never claims a commit it does not match), or `unknown`
 * outside a git repository.
 */
export async function currentGitSha(cwd: string): Promise<string> {
  const git = $({ cwd, quiet: true, nothrow: true });
  const head = await git`git rev-parse HEAD`;
  if (head.exitCode !== 0) return 'unknown';
  const status = await git`git status --porcelain --untracked-files=no`;
  return `${head.stdout.trim()}${status.stdout.trim() ? '-dirty' : ''}`;
}
