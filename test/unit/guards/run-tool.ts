import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, whose node_modules hold the tools and whose config files the guards test. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an installed tool's entry script under this Node, as `npm run` would, and resolves with its
 * exit code instead of rejecting on a non-zero one: the guards' failures are what these tests check.
 */
export function runTool(script: string, args: readonly string[], cwd: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
    execFile(process.execPath, [script, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}
