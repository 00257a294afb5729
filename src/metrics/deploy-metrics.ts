/**
 * What one `drover deploy` did, as Prometheus metrics: fed by the same events the reporters
 * print, on a registry the caller owns, so nothing here reads a clock or writes a file. Written as
 * a text file (`--metrics-file`) for node-exporter's textfile collector, they let alert rules ask
 * "did the last prod deploy fail?" and dashboards show which release each environment runs.
 * Every metric describes the last run, so each is a gauge; labels carry no secrets (env, job,
 * release id, outcome, the role of a version).
 * @see https://github.com/prometheus/node_exporter#textfile-collector
 */
import { Gauge, type Registry } from 'prom-client';
import type { DeployEvent } from '../report/events.ts';
import type { JobOutcome, RevertWaiting } from '../deploy/outcome.ts';

/** Every job outcome, so each shows up (as 0 when it did not happen) and alerts need no `absent()`. */
const OUTCOMES: readonly JobOutcome['status'][] = ['succeeded', 'unchanged', 'awaiting-promotion', 'failed', 'placement-failed', 'skipped'];

/** Collects one deploy's events into `registry`. */
export interface DeployMetrics {
  /** Hand every event to this (compose it with the reporter). */
  observe(event: DeployEvent): void;
  /** The run ended with `exitCode`, at `nowMs`: sets the run's own gauges. */
  finish(exitCode: number, nowMs: number): void;
}

/** Registers drover's deploy metrics in `registry` for environment `env`; `startedAtMs` is when the run began. */
export function createDeployMetrics(registry: Registry, options: { readonly env: string; readonly startedAtMs: number }): DeployMetrics {
  const { env } = options;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [registry] });
  const finishedAt = gauge('drover_deploy_last_run_timestamp_seconds', 'When the last drover deploy to this environment ended (unix seconds).', ['env']);
  const exit = gauge('drover_deploy_last_exit_code', 'Exit code of the last drover deploy (0 deployed, 1 failed, 2 placement, 3 awaiting promotion, 4 refused, 69 unreachable, 130 interrupted).', ['env']);
  const duration = gauge('drover_deploy_last_duration_seconds', 'Wall time of the last drover deploy.', ['env']);
  const jobs = gauge('drover_deploy_last_jobs', 'Jobs of the last drover deploy by outcome.', ['env', 'outcome']);
  const version = gauge('drover_deploy_last_job_version', 'Nomad job version running after the last drover deploy (the reverted-to version when it failed; none while a revert waits for promotion).', ['env', 'job']);
  const revert = gauge('drover_deploy_last_revert_pending_version', 'Jobs whose auto-revert waits for its canary to be promoted after the last drover deploy, by Nomad job version: failed (its promoted canary serves), revert (the revert\'s canary serves beside it), reverted-to (the stable version the revert copies).', ['env', 'job', 'role']);
  const release = gauge('drover_deploy_last_release_info', 'Release the last drover deploy rendered (1 = this release).', ['env', 'release']);
  const verified = gauge('drover_release_last_verified', 'Whether the release the last deploy recorded passed verification here (1) or failed (0).', ['env', 'release']);
  const canary = gauge('drover_canary_last_outcome', 'Progressive canaries of the last deploy: 1 for the outcome each job had (promoted, failed).', ['env', 'job', 'outcome']);
  for (const outcome of OUTCOMES) jobs.set({ env, outcome }, 0);

  const observe = (event: DeployEvent): void => {
    switch (event.type) {
      case 'deploy-started':
        release.set({ env, release: event.release }, 1);
        return;
      case 'deploy-finished':
        for (const outcome of OUTCOMES) jobs.set({ env, outcome }, event.results.filter((r) => r.outcome.status === outcome).length);
        for (const { job, outcome } of event.results) {
          if (outcome.status === 'failed' && outcome.revert) {
            for (const [role, value] of revertVersions(outcome.version, outcome.revert)) revert.set({ env, job, role }, value);
            continue;
          }
          const running = runningVersion(outcome);
          if (running !== undefined) version.set({ env, job }, running);
        }
        return;
      case 'release-verified':
      case 'release-failed':
        verified.set({ env: event.env, release: event.release }, event.type === 'release-verified' ? 1 : 0);
        return;
      case 'canary-promoted':
        canary.set({ env, job: event.job, outcome: 'promoted' }, 1);
        return;
      case 'canary-analysis-failed':
        canary.set({ env, job: event.job, outcome: 'failed' }, 1);
        return;
      default:
        return;
    }
  };

  const finish = (exitCode: number, nowMs: number): void => {
    exit.set({ env }, exitCode);
    finishedAt.set({ env }, nowMs / 1000);
    duration.set({ env }, Math.max(0, nowMs - options.startedAtMs) / 1000);
  };

  return { observe, finish };
}

/** The version a job runs after its outcome; none when it was skipped. */
function runningVersion(outcome: JobOutcome): number | undefined {
  if (outcome.status === 'skipped') return undefined;
  return 'runningVersion' in outcome && outcome.runningVersion !== undefined ? outcome.runningVersion : outcome.version;
}

/**
 * A revert waiting at its canary phase (hashicorp/nomad#10882) leaves no single version running:
 * the failed version's promoted canary serves beside the revert's canary until someone promotes
 * it, so each version is reported by its role instead of one running version.
 */
function revertVersions(failedVersion: number, revert: RevertWaiting): readonly (readonly [RevertRole, number])[] {
  return [['failed', failedVersion], ['revert', revert.version], ['reverted-to', revert.toVersion]];
}

type RevertRole = 'failed' | 'revert' | 'reverted-to';
