import type { Style } from '../report/style.ts';
import type { SmokeResult } from '../smoke/result.ts';
import type { PinnedImage, UnpinnedImage } from './digests.ts';
import type { PromotionStatus, ReleaseStatus } from './record.ts';
import type { SoakProblem } from './soak.ts';

/**
 * Events of release creation, verification and the prod gate; part of `DeployEvent`
 * (report/events.ts), printed through `RELEASE_FORMATTERS`, typed over the union so a new event
 * does not compile until it can be printed.
 */
export type ReleaseEvent =
  | { readonly type: 'images-pinned'; readonly env: string; readonly pinned: readonly PinnedImage[]; readonly asWritten: readonly UnpinnedImage[] }
  | { readonly type: 'release-created'; readonly release: string; readonly env: string; readonly gitSha: string; readonly status: ReleaseStatus }
  | { readonly type: 'smoke-retrying'; readonly job: string; readonly check: string; readonly attempt: number; readonly problem: string; readonly delayMs: number }
  | { readonly type: 'smoke-finished'; readonly result: SmokeResult }
  | { readonly type: 'soak-started'; readonly release: string; readonly env: string; readonly durationMs: number; readonly jobs: readonly string[] }
  | { readonly type: 'soak-finished'; readonly release: string; readonly problems: readonly SoakProblem[] }
  | { readonly type: 'release-verified'; readonly release: string; readonly env: string }
  | { readonly type: 'release-failed'; readonly release: string; readonly env: string; readonly reason: string }
  | { readonly type: 'release-accepted'; readonly release: string; readonly env: string; readonly forced?: { readonly reason: string; readonly overrode: readonly string[] } }
  | { readonly type: 'release-outcome-recorded'; readonly release: string; readonly env: string; readonly status: PromotionStatus }
  /** `drover promote` finished jobs of the release that waited at canaries in `env`; `status` is the release's (source) or the environment's outcome (target). */
  | { readonly type: 'release-promotion-recorded'; readonly release: string; readonly env: string; readonly jobs: readonly string[]; readonly status: ReleaseStatus | PromotionStatus };

/** The `type` of every release event. */
export type ReleaseEventType = ReleaseEvent['type'];

/** Receives release events; reporters print them, tests collect them. */
export type ReleaseReport = (event: ReleaseEvent) => void;

type Formatter<T extends ReleaseEventType> = (event: Extract<ReleaseEvent, { type: T }>, style: Style) => string | undefined;

/** One line per event for the plain and TTY reporters; `undefined` = not worth a line. */
export const RELEASE_FORMATTERS: { readonly [T in ReleaseEventType]: Formatter<T> } = {
  'images-pinned': (e, s) =>
    [
      ...e.pinned.map((p) => `Pinned ${p.reference} to ${p.digest.slice(0, 19)}… for ${e.env}`),
      ...e.asWritten.filter((u) => u.why !== 'already pinned by digest').map((u) => s.dim(`${u.reference} runs as written in ${e.env}: ${u.why}`)),
    ].join('\n') || undefined,
  'release-created': (e, s) =>
    e.status === 'awaiting-promotion'
      ? s.yellow(`Recorded release ${e.release} (${e.gitSha.slice(0, 12)}) in ${e.env}: waiting for promotion; \`drover promote ${e.env}\` completes and verifies it`)
      : (e.status === 'failed' ? s.red : (t: string) => t)(`Recorded release ${e.release} (${e.gitSha.slice(0, 12)}) in ${e.env}: ${e.status}`),
  'smoke-retrying': (e, s) => s.dim(`[${e.job}] smoke "${e.check}" attempt ${e.attempt}: ${e.problem}; retrying in ${e.delayMs} ms`),
  'smoke-finished': (e, s) =>
    e.result.ok
      ? s.green(`✔ [${e.result.job}] smoke "${e.result.check}" ${e.result.response ? `${e.result.response.status} in ${e.result.response.latencyMs} ms` : 'passed'}`)
      : s.red(`✖ [${e.result.job}] smoke "${e.result.check}": ${e.result.problems.join('; ')}`),
  'soak-started': (e) => `Soaking release ${e.release} in ${e.env} for ${formatMs(e.durationMs)}: no allocation of ${e.jobs.join(', ')} may fail or restart`,
  'soak-finished': (e, s) =>
    e.problems.length === 0 ? s.green(`✔ soak passed for ${e.release}`) : s.red(`✖ soak failed for ${e.release}: ${e.problems.map((p) => `${p.allocName} ${p.detail}`).join('; ')}`),
  'release-verified': (e, s) => s.green(`✔ Release ${e.release} verified in ${e.env}`),
  'release-failed': (e, s) => s.red(`✖ Release ${e.release} failed verification in ${e.env}: ${e.reason}`),
  'release-accepted': (e, s) =>
    e.forced ? s.yellow(`Release ${e.release} goes to ${e.env} by force (${e.forced.reason}), overriding: ${e.forced.overrode.join('; ') || 'nothing'}`) : `Release ${e.release} passes the ${e.env} gate: verified, recent enough, same jobs`,
  'release-outcome-recorded': (e, s) =>
    e.status === 'awaiting-promotion'
      ? s.yellow(`Recorded the ${e.env} outcome of ${e.release}: waiting for promotion; \`drover promote ${e.env}\` completes it`)
      : `Recorded the ${e.env} outcome of ${e.release}: ${e.status}`,
  'release-promotion-recorded': (e, s) => (e.status === 'failed' ? s.red : (t: string) => t)(`Recorded the promotion of ${e.jobs.join(', ')} on release ${e.release} in ${e.env}: ${describeStatus(e.status)}`),
};

/** The line a reporter prints for `event`, or `undefined` when it is not worth one. */
export function formatReleaseEvent(event: ReleaseEvent, style: Style): string | undefined {
  return (RELEASE_FORMATTERS[event.type] as Formatter<ReleaseEventType>)(event as never, style);
}

function describeStatus(status: ReleaseStatus | PromotionStatus): string {
  return status === 'awaiting-promotion' ? 'still waiting for promotion' : status === 'deployed' ? 'deployed, not verified yet' : status;
}

function formatMs(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6000) / 10} min` : ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
