/**
 * What drover's own deploys did, from the metrics `drover deploy <env> --metrics-file` writes
 * (src/metrics/deploy-metrics.ts) and node-exporter's textfile collector serves: the last run's
 * exit code, age and duration, the release, jobs by outcome, versions and canary outcomes.
 */
import type { Environment } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import type { Dashboard, Panel } from './model.ts';
import { dashboardUid, rateIntervalOf } from './naming.ts';
import { DEPLOY_JOB_LABEL, eq, literalRegex, re, selector } from './promql.ts';

/** Exit codes drover documents (README "Exit codes"), as the stat panel names them. */
export const EXIT_CODE_TEXT: Readonly<Record<string, string>> = {
  '0': 'deployed',
  '1': 'failed',
  '2': 'placement failed',
  '3': 'awaiting promotion',
  '4': 'refused',
  '65': 'invalid',
  '69': 'unreachable',
  '77': 'not allowed',
  '130': 'interrupted',
};

/** Matchers of one job's deploy series in `env`. */
export function deployJobMatchers(env: string, job: string): string[] {
  return [eq('env', env), eq(DEPLOY_JOB_LABEL, job)];
}

/** The deploys dashboard of `env`. Pure. */
export function deploysDashboard(env: Environment, jobs: readonly LoadedJob[]): Dashboard {
  const envMatch = [eq('env', env.name)];
  const ids = jobs.map((j) => j.spec.id).sort();
  const jobMatch = [...envMatch, re(DEPLOY_JOB_LABEL, ids.map(literalRegex).join('|'))];
  return {
    uid: dashboardUid(env.name, 'deploys'),
    title: `drover ${env.name} · Deploys`,
    description: `What the last \`drover deploy ${env.name}\` did, from its --metrics-file (node-exporter textfile collector). Only runs that wrote the file show up.`,
    env: env.name,
    tags: ['drover', env.name, 'deploys'],
    variables: [],
    rateInterval: rateIntervalOf(env),
    rows: [
      { title: `Last deploy to ${env.name}`, panels: lastRunPanels(envMatch, env) },
      { title: 'Jobs of the last deploy', panels: jobPanels(envMatch, jobMatch, ids) },
    ],
  };
}

function lastRunPanels(envMatch: readonly string[], env: Environment): Panel[] {
  const releasesFrom = env.promotion.releasesFrom ? ` ${env.name} takes only releases ${env.promotion.releasesFrom} verified.` : '';
  return [
    {
      title: 'Outcome',
      description: 'Exit code of the last drover deploy: 0 deployed, 1 failed (Nomad rolled back when auto_revert is on), 2 placement failed, 3 canaries awaiting promotion, 4 refused (lock, conflict, unverified release), 69 cluster unreachable, 130 interrupted.',
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: `max(${selector('drover_deploy_last_exit_code', envMatch)})`, legend: 'exit code' }],
      thresholds: [{ value: 1, color: 'red' }],
      valueText: EXIT_CODE_TEXT,
    },
    {
      title: 'Since the last deploy',
      description: 'Time since the last drover deploy to this environment ended.',
      kind: 'stat',
      unit: 's',
      queries: [{ expr: `time() - max(${selector('drover_deploy_last_run_timestamp_seconds', envMatch)})`, legend: 'age' }],
    },
    {
      title: 'Duration',
      description: 'Wall time of the last deploy, from start to its last job settling (canary steps and soak included).',
      kind: 'stat',
      unit: 's',
      queries: [{ expr: `max(${selector('drover_deploy_last_duration_seconds', envMatch)})`, legend: 'duration' }],
    },
    {
      title: 'Release verified',
      description: `Whether the release the last deploy recorded passed its smoke checks here (1) or failed them (0).${releasesFrom}`,
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: `max(${selector('drover_release_last_verified', envMatch)})`, legend: 'verified' }],
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
      valueText: { '0': 'failed', '1': 'verified' },
    },
    {
      title: 'Release',
      description: 'The release id (git SHA prefix or --release) the last deploy rendered.',
      kind: 'table',
      unit: 'none',
      queries: [{ expr: `max by (release) (${selector('drover_deploy_last_release_info', envMatch)}) == 1`, legend: '{{release}}' }],
      width: 8,
    },
  ];
}

function jobPanels(envMatch: readonly string[], jobMatch: readonly string[], ids: readonly string[]): Panel[] {
  return [
    {
      title: 'Jobs by outcome',
      description: 'How many jobs the last deploy left in each outcome (succeeded, unchanged, awaiting-promotion, failed, placement-failed, skipped). Every outcome is written, as 0 when none had it.',
      kind: 'timeseries',
      unit: 'none',
      queries: [{ expr: `sum by (outcome) (${selector('drover_deploy_last_jobs', envMatch)})`, legend: '{{outcome}}' }],
      width: 12,
    },
    {
      title: 'Job versions after the last deploy',
      description: `The Nomad job version each job runs after the last deploy (the reverted-to version when it failed), for ${ids.join(', ')}.`,
      kind: 'table',
      unit: 'none',
      queries: [{ expr: `max by (${DEPLOY_JOB_LABEL}) (${selector('drover_deploy_last_job_version', jobMatch)})`, legend: `{{${DEPLOY_JOB_LABEL}}}` }],
      width: 12,
    },
    {
      title: 'Canary outcomes',
      description: 'Progressive canaries of the last deploy: 1 for the outcome each job\'s canary had (promoted after every traffic step passed its gates, or failed a gate).',
      kind: 'table',
      unit: 'none',
      queries: [{ expr: `max by (${DEPLOY_JOB_LABEL}, outcome) (${selector('drover_canary_last_outcome', jobMatch)})`, legend: `{{${DEPLOY_JOB_LABEL}}} {{outcome}}` }],
      width: 12,
    },
  ];
}
