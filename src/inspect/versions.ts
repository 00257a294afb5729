import { META } from '../render/context.ts';
import type { NomadDeployment, NomadJobRead } from '../wire/nomad-api.ts';

/**
 * Pure views of a job's version history (`GET /v1/job/:id/versions`): the rows of
 * `drover history` and the version `drover rollback` reverts to.
 */

/**
 * Nomad's unix-nanosecond timestamps (`SubmitTime`: ~1.7e18, beyond `Number.MAX_SAFE_INTEGER`)
 * as an ISO 8601 time with all nine fraction digits, computed with BigInt so nothing is rounded.
 */
export function unixNanosToIso(nanos: string): string {
  const value = BigInt(nanos);
  const billion = 1_000_000_000n;
  // Floor division, so times before 1970 (never seen from Nomad, but cheap to get right) work too.
  let seconds = value / billion;
  let fraction = value % billion;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += billion;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString(); // "…T12:34:56.000Z"
  return `${whole.slice(0, -5)}.${fraction.toString().padStart(9, '0')}Z`;
}

/** One version of a job as `drover history` shows it. */
export interface VersionRow {
  readonly version: number;
  readonly current: boolean;
  readonly stable: boolean;
  readonly stopped: boolean;
  readonly submitted: string;
  readonly release: string;
  readonly gitSha: string;
  readonly specHash: string;
  /** Status of the latest deployment of this version, with its description when it failed. */
  readonly deployment: string;
}

/** Rows newest first; `deployments` in any order. */
export function historyRows(versions: readonly NomadJobRead[], deployments: readonly NomadDeployment[], currentVersion: number): VersionRow[] {
  const latestByVersion = new Map<number, NomadDeployment>();
  for (const d of [...deployments].sort((a, b) => a.CreateIndex - b.CreateIndex)) latestByVersion.set(d.JobVersion, d);
  return [...versions]
    .sort((a, b) => b.Version - a.Version)
    .map((v) => {
      const d = latestByVersion.get(v.Version);
      const failed = d && (d.Status === 'failed' || d.Status === 'cancelled');
      return {
        version: v.Version,
        current: v.Version === currentVersion,
        stable: v.Stable,
        stopped: v.Stop,
        submitted: unixNanosToIso(v.SubmitTime),
        release: v.Meta?.[META.release] ?? '-',
        gitSha: shortSha(v.Meta?.[META.gitSha]),
        specHash: v.Meta?.[META.specHash] ?? '-',
        deployment: d ? `${d.Status}${failed ? `: ${d.StatusDescription}` : ''}` : '-',
      };
    });
}

/** First 7 characters, as git abbreviates, keeping a `-dirty` suffix. */
function shortSha(sha: string | undefined): string {
  if (!sha) return '-';
  return sha.endsWith('-dirty') ? `${sha.slice(0, 7)}-dirty` : sha.slice(0, 7);
}

/** Where a rollback goes, or why it cannot. */
export type RollbackChoice =
  | { readonly ok: true; readonly target: NomadJobRead; readonly stable: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * The version to revert `current` to: the requested one, or else the newest stable version older
 * than the current one whose spec differs from it. Same-spec versions are skipped because after
 * an auto-revert the current version is a copy of the last stable one, and reverting to that copy
 * would change nothing.
 */
export function chooseRollbackTarget(versions: readonly NomadJobRead[], current: NomadJobRead, requested?: number): RollbackChoice {
  const kept = [...versions].sort((a, b) => b.Version - a.Version);
  if (requested !== undefined) {
    if (requested === current.Version) return { ok: false, reason: `version ${requested} is the current version` };
    const target = kept.find((v) => v.Version === requested);
    if (!target) return { ok: false, reason: `version ${requested} is not in Nomad's history of the job (it keeps versions ${kept.map((v) => v.Version).join(', ')})` };
    return { ok: true, target, stable: target.Stable };
  }
  const older = kept.filter((v) => v.Version < current.Version && v.Stable && !v.Stop);
  const hash = current.Meta?.[META.specHash];
  const target = older.find((v) => !hash || v.Meta?.[META.specHash] !== hash);
  if (target) return { ok: true, target, stable: true };
  const same = older.length ? `; stable version${older.length === 1 ? '' : 's'} ${older.map((v) => v.Version).join(', ')} run${older.length === 1 ? 's' : ''} the same spec as the current one` : '';
  return { ok: false, reason: `no stable version older than version ${current.Version}${same}` };
}
