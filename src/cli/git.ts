import { execFile } from 'node:child_process';

/**
 * The commit being rendered: `git rev-parse HEAD`, with `-dirty` when the work tree has
 * uncommitted changes (so a deploy never claims a commit it does not match), or `unknown`
 * outside a git repository (or without git).
 */
export async function currentGitSha(cwd: string): Promise<string> {
  const head = await git(cwd, ['rev-parse', 'HEAD']);
  if (head.code !== 0) return 'unknown';
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return `${head.stdout.trim()}${status.stdout.trim() ? '-dirty' : ''}`;
}

/**
 * Runs git with node:child_process rather than zx: loading zx's bundle took 60-200 ms, most of
 * the time budget of a `drover render` that needs only these two commands.
 */
function git(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => resolve({ code: error ? 1 : 0, stdout: String(stdout) }));
  });
}
