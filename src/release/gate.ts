import { toNanoseconds, type Duration } from '../model/duration.ts';
import type { JobFingerprint } from './fingerprint.ts';
import type { Release } from './record.ts';

/**
 * The prod gate, pure: may this release go to an environment that takes verified releases?
 * Refusals are collected (every reason at once), and `--force --reason` overrides them all while
 * recording what it overrode.
 */

/** What the gate decides on; `now` is an input so the decision stays pure. */
export interface ProdGateInput {
  readonly release: Release;
  readonly now: Date;
  /** The target's `promotion.maxReleaseAge`; no limit when absent. */
  readonly maxAge?: Duration;
  /** IDs of the jobs in `jobs/`: the release must contain exactly these. */
  readonly jobsInProject: readonly string[];
  readonly force?: boolean;
  readonly reason?: string;
}

/** The gate's answer: go (maybe forced), refuse with every reason (exit 4), or misuse (exit 64). */
export type ProdGateDecision =
  | { readonly kind: 'ok'; readonly forced?: { readonly reason: string; readonly overrode: readonly string[] } }
  | { readonly kind: 'refuse'; readonly exitCode: 4; readonly reasons: readonly string[] }
  | { readonly kind: 'usage'; readonly exitCode: 64; readonly message: string };

/** Decides the gate. `--force` without a non-blank `--reason` is a usage error, checked first. */
export function decideProdRelease(input: ProdGateInput): ProdGateDecision {
  const reason = input.reason?.trim();
  if (input.force && !reason) return { kind: 'usage', exitCode: 64, message: '--force needs --reason "…"' };
  const reasons = gateProblems(input);
  if (input.force && reason) return { kind: 'ok', forced: { reason, overrode: reasons } };
  return reasons.length ? { kind: 'refuse', exitCode: 4, reasons } : { kind: 'ok' };
}

/** Every reason to refuse the release, in a fixed order; `[]` when it may go. */
export function gateProblems(input: ProdGateInput): string[] {
  const { release } = input;
  const problems: string[] = [];
  if (release.status === 'failed') problems.push(`release ${release.id} failed in ${release.sourceEnv}: ${failureSummary(release)}`);
  if (release.status === 'deployed') problems.push(`release ${release.id} is deployed in ${release.sourceEnv} but not verified (smoke checks and soak have not passed)`);
  if (release.status === 'awaiting-promotion') problems.push(`release ${release.id} waits for promotion in ${release.sourceEnv} (its canaries were not promoted, so it was not verified); run \`drover promote ${release.sourceEnv}\``);
  const age = releaseAgeMs(release, input.now);
  const maxMs = input.maxAge === undefined ? undefined : (toNanoseconds(input.maxAge) ?? 0) / 1e6;
  if (maxMs !== undefined && age > maxMs) problems.push(`release ${release.id} is ${formatAge(age)} old; this environment takes releases up to ${input.maxAge}`);
  const inRelease = new Set(Object.keys(release.jobs));
  const inProject = new Set(input.jobsInProject);
  const missing = [...inProject].filter((id) => !inRelease.has(id)).sort();
  const extra = [...inRelease].filter((id) => !inProject.has(id)).sort();
  if (missing.length) problems.push(`jobs/ has jobs the release does not: ${missing.join(', ')}`);
  if (extra.length) problems.push(`the release has jobs jobs/ no longer has: ${extra.join(', ')}`);
  return problems;
}

/**
 * The `RenderContext.images` to render prod with, so prod runs exactly the images QA ran. A
 * repository used with two different references in the release (postgres:15 in one job, :16 in
 * another) cannot be pinned by repository; it is left out, and the image comparison of
 * `compareWithRelease` still guarantees each job renders QA's reference.
 */
export function pinsForProd(release: Release): Record<string, string> {
  const byRepository = new Map<string, Set<string>>();
  for (const job of Object.values(release.jobs)) {
    for (const image of job.images) byRepository.set(image.repository, (byRepository.get(image.repository) ?? new Set()).add(image.reference));
  }
  const pins = [...byRepository].filter(([, refs]) => refs.size === 1).map(([repository, refs]) => [repository, [...refs][0]!] as const);
  return Object.fromEntries(pins.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** One way a prod-rendered job differs from what the release verified. */
export interface ReleaseMismatch {
  readonly job: string;
  readonly problem: string;
}

/**
 * Compares the jobs as rendered for prod (with `pinsForProd`) against the release: same images,
 * same set of environment-specific fields, same environment-free hash. Only jobs being deployed
 * are compared, so `--job` works.
 */
export function compareWithRelease(release: Release, rendered: Iterable<JobFingerprint>): ReleaseMismatch[] {
  const mismatches: ReleaseMismatch[] = [];
  for (const job of rendered) {
    const verified = release.jobs[job.id];
    if (!verified) {
      mismatches.push({ job: job.id, problem: 'not part of the release' });
      continue;
    }
    const want = verified.images.map((i) => i.reference);
    const got = job.images.map((i) => i.reference);
    if (want.join('\n') !== got.join('\n')) mismatches.push({ job: job.id, problem: `images ${got.join(', ') || '(none)'} differ from the verified ${want.join(', ') || '(none)'}` });
    const added = job.maskedPaths.filter((p) => !verified.maskedPaths.includes(p));
    const removed = verified.maskedPaths.filter((p) => !job.maskedPaths.includes(p));
    if (added.length || removed.length) {
      mismatches.push({ job: job.id, problem: `fields that vary by environment changed (${[...added.map((p) => `+${p}`), ...removed.map((p) => `-${p}`)].join(', ')})` });
    } else if (job.envFreeHash !== verified.envFreeHash) {
      mismatches.push({ job: job.id, problem: `differs from the verified job in fields that do not depend on the environment (hash ${job.envFreeHash}, verified ${verified.envFreeHash})` });
    }
  }
  return mismatches;
}

/** Milliseconds since the release was created (0 for a clock behind the record). */
export function releaseAgeMs(release: Release, now: Date): number {
  return Math.max(0, now.getTime() - Date.parse(release.createdAt));
}

/** `3d4h`, `5h12m`, `42m`, `15s`: the age of a release in words a human compares with `168h`. */
export function formatAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d) return `${d}d${h ? `${h}h` : ''}`;
  if (h) return `${h}h${m ? `${m}m` : ''}`;
  return m ? `${m}m` : `${s}s`;
}

function failureSummary(release: Release): string {
  const v = release.verification;
  if (!v) return release.failure ?? 'verification failed';
  const smoke = v.smoke.filter((r) => !r.ok).map((r) => `smoke ${r.job}/${r.check}: ${r.problems.join('; ')}`);
  const soak = v.soak.problems.map((p) => `soak ${p.allocName}: ${p.detail}`);
  return [...smoke, ...soak].join('; ') || 'verification failed';
}
