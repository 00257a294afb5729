import { DroverError, ExitCode, UsageError } from '../errors.ts';
import type { SmokeResult } from '../smoke/result.ts';
import { describeSmokeFailure } from '../smoke/result.ts';
import type { Release, Verification } from './record.ts';

/**
 * Named error factories for releases: subject, context, remedy. Exit codes follow the table in
 * STYLE.md: 4 for every refusal of the prod gate, 1 for a failed verification, 64 for misuse.
 */

/** No record under that id (or no verified release at all). */
export function releaseNotFound(input: { readonly id?: string; readonly env: string }): DroverError {
  const what = input.id ? `Release ${input.id} does not exist` : `No verified release in ${input.env}`;
  return new DroverError(`${what}`, ExitCode.refused, {
    context: { store: `Consul KV drover/releases/ of ${input.env}` },
    hint: input.id ? `Run \`drover releases ${input.env}\` for the list.` : `Deploy to ${input.env} first; a release is recorded and verified there (\`drover deploy ${input.env}\`).`,
  });
}

/** The record exists but is not in a state the operation accepts. */
export function releaseStateConflict(release: Release, wanted: string): DroverError {
  return new DroverError(`Release ${release.id} is ${release.status}; cannot ${wanted}`, ExitCode.refused, {
    context: { release: release.id, created: release.createdAt, sha: release.gitSha },
    hint: 'Deploy a new release to the source environment to get a fresh record.',
  });
}

/** Someone kept changing the record while we tried to update it. */
export function releaseUpdateContended(id: string, attempts: number): DroverError {
  return new DroverError(`Could not update release ${id}: it changed ${attempts} times while drover was writing`, ExitCode.refused, {
    hint: 'Another drover is updating the same release; wait for it and retry.',
  });
}

/** A stored record drover cannot read (corrupt, or written by a newer drover). */
export function releaseUnreadable(key: string, why: string): DroverError {
  return new DroverError(`Cannot read release record ${key}: ${why}`, ExitCode.refused, {
    hint: 'Upgrade drover if the record is newer than this version, or inspect the key with `consul kv get`.',
  });
}

/** `--force` without `--reason`. */
export function forceNeedsReason(): UsageError {
  return new UsageError('--force needs --reason "…"', { hint: 'Say why the gate is overridden, e.g. --force --reason "hotfix for INC-1234"; it is recorded in the release.' });
}

/** Smoke checks or the soak failed: exit 1, with the failing request and response. */
export class ReleaseVerificationError extends DroverError {
  readonly release: Release;
  readonly verification: Verification;

  constructor(release: Release, verification: Verification) {
    const failed = verification.smoke.filter((r) => !r.ok);
    super(`Release ${release.id} failed verification in ${release.sourceEnv}`, ExitCode.deploymentFailed, {
      context: verificationContext(release, failed, verification),
      hint: failed.length
        ? `Fix the job and deploy ${release.sourceEnv} again; the failing request is shown above. The jobs stay deployed in ${release.sourceEnv}.`
        : `Run \`drover status ${release.sourceEnv}\` to see why ${soakAllocs(verification)} failed or restarted, fix the job and deploy ${release.sourceEnv} again.`,
    });
    this.release = release;
    this.verification = verification;
  }
}

/** The allocations the soak caught, by name: what `drover status` shows the failure of. */
function soakAllocs(verification: Verification): string {
  const names = [...new Set(verification.soak.problems.map((p) => p.allocName))];
  return names.length ? names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '') : 'the allocations';
}

function verificationContext(release: Release, failed: readonly SmokeResult[], verification: Verification): Record<string, string> {
  const context: Record<string, string> = {};
  // Continuation lines indented under the value column of formatError's context block.
  failed.slice(0, 3).forEach((result, i) => (context[i === 0 ? 'smoke' : `smoke ${i + 1}`] = describeSmokeFailure(result).replace(/\n/g, '\n            ')));
  if (failed.length > 3) context['more'] = `${failed.length - 3} more failed smoke checks (see \`drover release show ${release.id} ${release.sourceEnv}\`)`;
  verification.soak.problems.slice(0, 5).forEach((p, i) => (context[i === 0 ? 'soak' : `soak ${i + 1}`] = `${p.allocName} (${p.allocId.slice(0, 8)}): ${p.detail}`));
  return context;
}
