/**
 * One row per job of the environment: its allocations by state, restarts and OOM kills, each
 * task's CPU and memory against what the job reserves (numbers from jobs/<id>.ts, so the line
 * moves when the file does), and what drover last deployed. Nomad's per-allocation series need
 * `publish_allocation_metrics = true` on the clients.
 */
import type { Environment } from '../config/environment.ts';
import type { GroupSpec, JobSpec } from '../model/job.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import type { TaskSpec } from '../model/task.ts';
import { canaryPromotionOf } from '../canary/plan.ts';
import type { Dashboard, Panel, PanelRow } from './model.ts';
import { dashboardUid, rateIntervalOf } from './naming.ts';
import { eq, NOMAD_JOB_LABEL, selector } from './promql.ts';
import { deployJobMatchers } from './deploys.ts';

const MIB = 1024 * 1024;

/** The per-job dashboard of `env`: a row per job, in id order. Pure. */
export function jobsDashboard(env: Environment, jobs: readonly LoadedJob[]): Dashboard {
  const specs = [...jobs].map((j) => j.spec).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    uid: dashboardUid(env.name, 'jobs'),
    title: `drover ${env.name} · Jobs`,
    description: `Every job drover deploys to ${env.name}: allocations, restarts, CPU and memory against what the job reserves, and deployments. Rendered from jobs/ — re-run \`drover render ${env.name}\` after changing a job.`,
    env: env.name,
    tags: ['drover', env.name, 'jobs'],
    variables: [],
    rateInterval: rateIntervalOf(env),
    rows: specs.map((job) => jobRow(job, env)),
  };
}

function jobRow(job: JobSpec, env: Environment): PanelRow {
  const own = [eq(NOMAD_JOB_LABEL, job.id), eq('namespace', env.nomad.namespace)];
  const owner = job.owner ? `, owned by ${job.owner}` : '';
  return {
    title: `${job.id} (${job.kind}${owner})${job.description ? ` — ${job.description}` : ''}`,
    panels: [
      allocationsPanel(job, own),
      restartsPanel(job, own),
      ...job.groups.flatMap((group) => group.tasks.flatMap((task) => [cpuPanel(job, group, task, own), memoryPanel(job, group, task, own)])),
      deploymentsPanel(job, env),
    ],
  };
}

function expectedCount(group: GroupSpec): string {
  if (group.scaling) return `${group.scaling.min}–${group.scaling.max} (autoscaled)`;
  return String(group.count ?? 1);
}

function allocationsPanel(job: JobSpec, own: readonly string[]): Panel {
  const states = job.kind === 'batch' ? (['running', 'queued', 'complete', 'failed', 'lost'] as const) : (['running', 'starting', 'queued', 'failed', 'lost'] as const);
  const wanted = job.kind === 'system' ? 'one per eligible client' : job.groups.map((g) => `${g.name}: ${expectedCount(g)}`).join(', ');
  return {
    title: `${job.id}: allocations by state`,
    description: `Allocations of ${job.id} per task group and state, from the leader's job summary. Wanted: ${wanted}. Failed and lost only ever grow; a step up is an allocation that died.`,
    kind: 'timeseries',
    unit: 'none',
    queries: states.map((state) => ({ expr: `sum by (task_group) (${selector(`nomad_nomad_job_summary_${state}`, own)})`, legend: `{{task_group}} ${state}` })),
  };
}

function restartsPanel(job: JobSpec, own: readonly string[]): Panel {
  return {
    title: `${job.id}: restarts and OOM kills`,
    description: `Task restarts (Nomad restarted the task in place, after a crash or a failed check with check_restart) and out-of-memory kills of ${job.id}, per task, over the rate interval. A steady rate is a crash loop.`,
    kind: 'timeseries',
    unit: 'short',
    queries: [
      { expr: `sum by (task) (increase(${selector('nomad_client_allocs_restart', own)}[$__rate_interval]))`, legend: '{{task}} restarts' },
      { expr: `sum by (task) (increase(${selector('nomad_client_allocs_oom_killed', own)}[$__rate_interval]))`, legend: '{{task}} OOM kills' },
    ],
    thresholds: [{ value: 1, color: 'red' }],
  };
}

function taskName(job: JobSpec, group: GroupSpec, task: TaskSpec): string {
  return group.tasks.length === 1 && job.groups.length === 1 ? task.name : `${group.name}/${task.name}`;
}

function cpuPanel(job: JobSpec, group: GroupSpec, task: TaskSpec, own: readonly string[]): Panel {
  const mine = [...own, eq('task_group', group.name), eq('task', task.name)];
  return {
    title: `${job.id}: ${taskName(job, group, task)} CPU vs reserved`,
    description: `CPU each allocation's ${task.name} task uses (MHz, Nomad's total_ticks) against the ${task.resources.cpu} MHz reserved in jobs/${job.id}.ts. Above the line is borrowed from idle capacity; sustained, raise resources.cpu.`,
    kind: 'timeseries',
    unit: 'mhz',
    queries: [
      { expr: `max by (alloc_id) (${selector('nomad_client_allocs_cpu_total_ticks', mine)})`, legend: '{{alloc_id}}' },
      { expr: `vector(${task.resources.cpu})`, legend: 'reserved' },
    ],
  };
}

function memoryPanel(job: JobSpec, group: GroupSpec, task: TaskSpec, own: readonly string[]): Panel {
  const mine = [...own, eq('task_group', group.name), eq('task', task.name)];
  const { memoryMb, memoryMaxMb } = task.resources;
  const max = memoryMaxMb === undefined ? '' : `, and the ${memoryMaxMb} MiB it may burst to (memory_max)`;
  return {
    title: `${job.id}: ${taskName(job, group, task)} memory vs reserved`,
    description: `Memory each allocation's ${task.name} task uses (cgroup usage, RSS where the driver reports no usage) against the ${memoryMb} MiB reserved in jobs/${job.id}.ts${max}. Reaching the limit ends in an OOM kill.`,
    kind: 'timeseries',
    unit: 'bytes',
    queries: [
      { expr: `max by (alloc_id) (${selector('nomad_client_allocs_memory_usage', mine)} or ${selector('nomad_client_allocs_memory_rss', mine)})`, legend: '{{alloc_id}}' },
      { expr: `vector(${memoryMb * MIB})`, legend: 'reserved' },
      ...(memoryMaxMb === undefined ? [] : [{ expr: `vector(${memoryMaxMb * MIB})`, legend: 'memory_max' }]),
    ],
  };
}

function deploymentsPanel(job: JobSpec, env: Environment): Panel {
  const canaries = job.groups.map((g) => canaryPromotionOf(job, g, env)).find((mode) => mode !== undefined);
  const own = deployJobMatchers(env.name, job.id);
  const canaryNote = canaries ? ` Canaries are promoted ${canaries === 'progressive' ? 'progressively by drover' : canaries === 'auto' ? 'by Nomad once healthy' : 'by `drover promote`'}; a canary outcome shows 1.` : '';
  return {
    title: `${job.id}: deployments`,
    description: `The Nomad job version running after each drover deploy (from \`drover deploy ${env.name} --metrics-file\`, read by node-exporter's textfile collector). A step is a new version; a step back is a rollback or auto-revert.${canaryNote}`,
    kind: 'timeseries',
    unit: 'none',
    queries: [
      { expr: `max(${selector('drover_deploy_last_job_version', own)})`, legend: 'version' },
      ...(canaries ? [{ expr: `max by (outcome) (${selector('drover_canary_last_outcome', own)})`, legend: 'canary {{outcome}}' }] : []),
    ],
  };
}
