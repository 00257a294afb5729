/**
 * What to run after Ctrl-C. The commands are printed to be copied as they are, so they carry
 * everything the interrupted run was given that changes what they act on: the environment (no
 * command works without it), --project/--environments, --job, and for a deploy the commit and,
 * where a release gate chose one, the release — so "deploy again" resumes the same rollout
 * instead of rendering a new commit or taking a newer verified release.
 */
import { dirname, join } from 'node:path';

/** The interrupted run, as far as the suggested commands need it. */
export interface InterruptedRun {
  readonly env: string;
  /** `--project` and `--environments` as given (relative to where drover was started). */
  readonly project?: string | undefined;
  readonly environments?: string | undefined;
  readonly job?: string | undefined;
}

/** A deploy additionally pins the commit and, in an environment taking releases, the release. */
export interface InterruptedDeploy extends InterruptedRun {
  readonly gitSha: string;
  readonly release?: string | undefined;
}

/**
 * The run of a command that opened the project at `root` and the environment file `envFile`:
 * --project/--environments only where they differ from what drover finds on its own in `cwd`.
 */
export function interruptedRunAt(where: { cwd: string; root: string; envFile: string; env: string }): InterruptedRun {
  const environments = dirname(where.envFile);
  return {
    env: where.env,
    ...(where.root !== where.cwd ? { project: where.root } : {}),
    ...(environments !== join(where.root, 'environments') ? { environments } : {}),
  };
}

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellArg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

function command(words: readonly string[]): string {
  return words.map(shellArg).join(' ');
}

function locationFlags(run: InterruptedRun): string[] {
  return [...(run.project !== undefined ? ['--project', run.project] : []), ...(run.environments !== undefined ? ['--environments', run.environments] : [])];
}

/** `drover status <env>` with the project flags of the interrupted run. */
export function statusCommandFor(run: InterruptedRun): string {
  return command(['drover', 'status', run.env, ...locationFlags(run)]);
}

/** `drover deploy <env>` that resumes watching what the interrupted deploy registered. */
export function resumeDeployCommandFor(run: InterruptedDeploy): string {
  return command([
    'drover', 'deploy', run.env, ...locationFlags(run),
    ...(run.job !== undefined ? ['--job', run.job] : []),
    ...(run.release !== undefined ? ['--release', run.release] : []),
    '--git-sha', run.gitSha,
  ]);
}

/** The hint of an interrupted deploy. */
export function deployInterruptHint(run: InterruptedDeploy): string {
  return `The deployment continues in Nomad. See where it stands: \`${statusCommandFor(run)}\`; resume watching it: \`${resumeDeployCommandFor(run)}\`.`;
}

/** The hint of an interrupted status/plan/promote/rollback (any command using the cluster session). */
export function sessionInterruptHint(run: InterruptedRun): string {
  return `Whatever Nomad was asked to do continues; run \`${statusCommandFor(run)}\` to see where it stands.`;
}
