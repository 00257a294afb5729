import { defineEnvironment, type Environment, type EnvironmentDefinition } from '../../../src/config/environment.ts';
import type { GroupSpec, JobSpec } from '../../../src/model/job.ts';
import type { ServiceSpec } from '../../../src/model/service.ts';
import type { TaskSpec } from '../../../src/model/task.ts';
import type { Diagnostic } from '../../../src/validate/diagnostic.ts';
import type { Rule, ValidationInput } from '../../../src/validate/rule.ts';
import type { LoadedJob } from '../../../src/model/loaded-job.ts';

/**
 * Builders for valid definitions; tests override one field to make one thing wrong. Overrides
 * are untyped on purpose: rules must cope with anything a JavaScript job file can produce.
 */
type Loose = Readonly<Record<string, unknown>>;

/** A docker task with a pinned image and modest resources. */
export function aTask(overrides: Loose = {}): TaskSpec {
  return { name: 'app', image: 'ghcr.io/acme/app:1.0.0', resources: { cpu: 100, memoryMb: 128 }, ...overrides } as unknown as TaskSpec;
}

/** A service on port label `http` with one HTTP check. */
export function aService(overrides: Loose = {}): ServiceSpec {
  return {
    name: 'app',
    port: 'http',
    checks: [{ type: 'http', path: '/healthz', interval: '10s', timeout: '2s' }],
    ...overrides,
  } as unknown as ServiceSpec;
}

/** A group with port `http`, one service (drained for 5 s before its task stops) and one task. */
export function aGroup(overrides: Loose = {}): GroupSpec {
  return { name: 'app', count: 1, ports: { http: { to: 8080 } }, services: [aService()], shutdownDelay: '5s', tasks: [aTask()], ...overrides } as unknown as GroupSpec;
}

/** A valid service job `app` (file `jobs/app.ts`). */
export function aServiceJob(overrides: Loose = {}): JobSpec {
  return { id: 'app', kind: 'service', groups: [aGroup()], ...overrides } as unknown as JobSpec;
}

/** A valid batch job `report` without services. */
export function aBatchJob(overrides: Loose = {}): JobSpec {
  const group = aGroup({ services: undefined, ports: undefined });
  return { id: 'report', kind: 'batch', groups: [group], ...overrides } as unknown as JobSpec;
}

/** A valid system job `agent` with a static metrics port. */
export function aSystemJob(overrides: Loose = {}): JobSpec {
  const group = aGroup({ count: undefined, ports: { metrics: { static: 9200 } }, services: [aService({ name: 'agent', port: 'metrics' })] });
  return { id: 'agent', kind: 'system', groups: [group], ...overrides } as unknown as JobSpec;
}

/** A job as loaded from `jobs/<id>.ts`. */
export function loaded(spec: JobSpec, file = `jobs/${String((spec as { id?: unknown }).id)}.ts`): LoadedJob {
  return { file, spec };
}

/** A qa environment built by defineEnvironment, with drover's defaults. */
export function anEnvironment(overrides: Loose = {}): Environment {
  return defineEnvironment({
    name: 'qa',
    nomad: { address: 'https://nomad.qa.example.internal:4646' },
    consul: { address: 'https://consul.qa.example.internal:8501' },
    vault: { address: 'https://vault.qa.example.internal:8200' },
    fabio: { domain: 'qa.example.internal' },
    ...overrides,
  } as never);
}

/** An environment definition with one field replaced, bypassing defineEnvironment's defaults. */
export function anEnvironmentWith(path: string, value: unknown): EnvironmentDefinition {
  const env = structuredClone(withoutHelpers(anEnvironment())) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  const owner = keys.reduce((node, key) => node[key] as Record<string, unknown>, env);
  owner[last] = value;
  return env as unknown as EnvironmentDefinition;
}

function withoutHelpers(env: Environment): EnvironmentDefinition {
  const { pick: _pick, is: _is, ...definition } = env;
  return definition;
}

/** Options of `run()`. */
export interface Run {
  readonly env?: Environment;
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

/** Runs one rule over `jobs` (default environment: a qa environment with drover's defaults). */
export function run(rule: Rule, jobs: JobSpec | readonly JobSpec[], options: Run = {}): Diagnostic[] {
  const list = Array.isArray(jobs) ? jobs : [jobs as JobSpec];
  const input: ValidationInput = { env: options.env ?? anEnvironment(), jobs: list.map((job) => loaded(job)), processEnv: options.processEnv };
  return rule.check(input);
}

/** The parts tests assert on: rule, severity, file and path. */
export function where(diagnostics: readonly Diagnostic[]): { rule: string; severity: string; file: string; path: string }[] {
  return diagnostics.map((d) => ({ rule: d.rule, severity: d.severity, file: d.location.file, path: d.location.path }));
}

/** Shorthand for the expected `where()` entry of an error in `jobs/<id>.ts`. */
export function error(rule: string, path: string, file = 'jobs/app.ts'): { rule: string; severity: string; file: string; path: string } {
  return { rule, severity: 'error', file, path };
}

/** Shorthand for the expected `where()` entry of a warning. */
export function warn(rule: string, path: string, file = 'jobs/app.ts'): { rule: string; severity: string; file: string; path: string } {
  return { rule, severity: 'warning', file, path };
}
