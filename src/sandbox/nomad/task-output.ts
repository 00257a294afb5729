import type { Allocation } from './model.ts';
import type { LogType } from './logs.ts';
import type { Scenario } from './scenarios.ts';

/** One scripted log line. */
export interface OutputLine {
  readonly type: LogType;
  readonly text: string;
}

/** Sandbox ms between the "GET /health 200" lines of a running task. */
export const OUTPUT_TICK_MS = 30_000;

/**
 * What a simulated task writes, by moment of its life, so `drover logs` and a failed deploy's
 * stderr have something true to the scenario to show. Deterministic: the same job, version and
 * scenario always write the same lines. No secret ever appears in them.
 */
export const TASK_OUTPUT = {
  started: (alloc: Allocation, task: string): OutputLine[] => [
    { type: 'stdout', text: `starting ${task} (job ${alloc.JobID} version ${alloc.Job.Version}, allocation ${alloc.Name})` },
  ],
  ready: (): OutputLine[] => [{ type: 'stdout', text: 'ready: serving requests' }],
  tick: (): OutputLine[] => [{ type: 'stdout', text: 'GET /health 200' }],
  crashing: (scenario: Scenario & { kind: 'crash-loop' }): OutputLine[] =>
    (scenario.stderr ?? ['fatal: cannot connect to the database: dial tcp 10.0.0.12:5432: connect: connection refused', `exiting with code ${scenario.exitCode ?? 1}`]).map((text) => ({ type: 'stderr', text })),
  unready: (scenario: Scenario & { kind: 'health-check-fails' }): OutputLine[] =>
    (scenario.stderr ?? ['error: not ready: dependency "postgres" unreachable (dial tcp 10.0.0.12:5432: connect: connection refused)']).map((text) => ({ type: 'stderr', text })),
  finished: (): OutputLine[] => [{ type: 'stdout', text: 'done' }],
  stopping: (): OutputLine[] => [{ type: 'stdout', text: 'received interrupt, shutting down' }],
} as const;
