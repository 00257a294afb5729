/**
 * What the simulated client does with the allocations of a job (or of one job version).
 * Times are sandbox milliseconds.
 */
export type Scenario =
  /** Tasks start; checks pass `healthyAfterMs` after the start. Batch tasks exit 0 after `runMs`. */
  | { readonly kind: 'healthy'; readonly healthyAfterMs?: number; readonly runMs?: number }
  /** Like healthy, with a long default delay before checks pass (e.g. to hit a healthy_deadline). */
  | { readonly kind: 'slow-healthy'; readonly healthyAfterMs?: number }
  /** The docker driver cannot pull the image: `Driver Failure`, restarts, then the alloc fails. */
  | { readonly kind: 'image-pull-fails'; readonly message?: string; readonly recoverable?: boolean }
  /**
   * The task's command does not exist: `Driver Failure` with the executor's error (raw_exec, exec),
   * `Not Restarting` ("Error was unrecoverable"), then the health tracker's `Alloc Unhealthy`.
   * Docker reports a missing entrypoint differently (a recoverable container start error): not simulated.
   */
  | { readonly kind: 'missing-binary'; readonly path?: string }
  /** The task starts, then writes `stderr` (default: a database connection refused) and exits with `exitCode` after `crashAfterMs`, every time. */
  | { readonly kind: 'crash-loop'; readonly crashAfterMs?: number; readonly exitCode?: number; readonly stderr?: readonly string[] }
  /**
   * Tasks run but service checks stay critical. As with a real Consul agent, the catalog shows the
   * check's `Output` only `TIMING.checkOutputSync` after it was registered (its status never
   * changed); `output` defaults to Consul's HTTP check text for a 503.
   */
  | { readonly kind: 'health-check-fails'; readonly output?: string; readonly stderr?: readonly string[] }
  /** A template reads a Vault secret that does not exist: the task never starts. */
  | { readonly kind: 'template-missing-secret'; readonly path?: string }
  /** No node has room: placements fail on `dimension`, a blocked evaluation waits. */
  | { readonly kind: 'unplaceable'; readonly dimension?: 'cpu' | 'memory' };

/** Default timings of the simulated client (sandbox ms). */
export const TIMING = {
  /** Scheduler picks up a pending evaluation. */
  schedule: 10,
  /** Client receives a placed allocation. */
  receive: 100,
  /** Image pull and task start after receipt. */
  start: 1000,
  /** Checks pass after the task started. */
  healthyAfter: 1000,
  slowHealthyAfter: 120_000,
  /** Batch task run time. */
  batchRun: 2000,
  /** Crash after start in crash-loop. */
  crashAfter: 3000,
  /** Kill after a stop is requested. */
  kill: 200,
  /** Template missing-dependency event after receipt. */
  templateEvent: 5000,
  /**
   * A check whose status never changes has its output written back to the catalog only after
   * Consul's check_update_interval (default 5m; the agent waits interval/2 + a random stagger of up
   * to the interval, so 2.5–7.5 min): until then `/v1/health/*` shows its Output as "". The middle.
   */
  checkOutputSync: 300_000,
} as const;

/** Scenarios by job (and optionally version), with a fallback to `healthy`. */
export class ScenarioBook {
  private readonly byJob = new Map<string, Scenario>();

  /** Sets the scenario for a job, or for one version of it. */
  set(target: { readonly jobId: string; readonly namespace?: string; readonly version?: number }, scenario: Scenario): void {
    this.byJob.set(key(target.namespace ?? 'default', target.jobId, target.version), scenario);
  }

  /** Removes every scenario. */
  clear(): void {
    this.byJob.clear();
  }

  /** The scenario for a job version: version-specific first, then job-wide, then healthy. */
  resolve(namespace: string, jobId: string, version: number): Scenario {
    return this.byJob.get(key(namespace, jobId, version)) ?? this.byJob.get(key(namespace, jobId, undefined)) ?? { kind: 'healthy' };
  }

  /** Every scenario, for the admin API. */
  list(): { target: string; scenario: Scenario }[] {
    return [...this.byJob].map(([target, scenario]) => ({ target, scenario }));
  }
}

function key(namespace: string, jobId: string, version: number | undefined): string {
  return `${namespace}/${jobId}${version === undefined ? '' : `@${version}`}`;
}

/** Validates a scenario received over the admin API. */
export function parseScenario(value: unknown): Scenario | string {
  const kinds = ['healthy', 'slow-healthy', 'image-pull-fails', 'missing-binary', 'crash-loop', 'health-check-fails', 'template-missing-secret', 'unplaceable'];
  if (value === null || typeof value !== 'object' || !kinds.includes(String((value as { kind?: unknown }).kind))) {
    return `scenario.kind must be one of: ${kinds.join(', ')}`;
  }
  return value as Scenario;
}
