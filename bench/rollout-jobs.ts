import type { Environment } from '../src/config/environment.ts';
import type { JobSpec } from '../src/model/job.ts';
import type { LoadedJob } from '../src/model/loaded-job.ts';

/** The shape of the rollout benchmark's dependency graph. */
export interface RolloutGraph {
  /** Levels deployed one after the other. */
  readonly levels: number;
  /** Jobs per level; each depends on every job of the level before. */
  readonly width: number;
  /** `min_healthy_time`, kept tiny so a job's health time is its checks passing. */
  readonly minHealthyTime: `${number}ms`;
}

/**
 * `levels × width` small routed services, one allocation each, with an HTTP readiness check: a
 * dependency graph whose critical path is `levels` rollouts long.
 */
export function rolloutJobs(graph: RolloutGraph, env: Environment): LoadedJob[] {
  const ids = (level: number) => Array.from({ length: graph.width }, (_, i) => jobId(level, i));
  return Array.from({ length: graph.levels }, (_, level) =>
    ids(level).map((id) => ({ file: `jobs/${id}.ts`, spec: rolloutJob(id, level === 0 ? [] : ids(level - 1), graph, env) })),
  ).flat();
}

export function jobId(level: number, index: number): string {
  return `tier${level}-svc${String(index).padStart(2, '0')}`;
}

function rolloutJob(id: string, dependsOn: readonly string[], graph: RolloutGraph, env: Environment): JobSpec {
  return {
    id,
    kind: 'service',
    owner: 'team-bench',
    description: `Rollout benchmark service ${id}`,
    dependsOn,
    update: { strategy: 'rolling', maxParallel: 1, minHealthyTime: graph.minHealthyTime, healthyDeadline: '1m', progressDeadline: '2m', autoRevert: true },
    groups: [
      {
        name: 'app',
        count: 1,
        ports: { http: { to: 8080 } },
        services: [{ name: id, port: 'http', tags: ['http', env.name], checks: [{ type: 'http', path: '/ready', interval: '5s', timeout: '2s' }] }],
        tasks: [{ name: 'app', image: `ghcr.io/example/${id}:1.0.0`, env: { PORT: '8080' }, resources: { cpu: 100, memoryMb: 64, memoryMaxMb: 128 } }],
      },
    ],
  };
}
