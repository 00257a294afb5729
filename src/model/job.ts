import type { Duration } from './duration.ts';
import type { Affinity, Constraint, Spread } from './placement.ts';
import type { MigratePolicy, ReschedulePolicy, RestartPolicy, UpdatePolicy } from './policies.ts';
import type { ScalingSpec } from './scaling.ts';
import type { ServiceDependency, ServiceSpec } from './service.ts';
import type { SmokeCheck } from './smoke.ts';
import type { TaskSpec } from './task.ts';
import type { VolumeSpec } from './volume.ts';

/** A named port. Dynamic unless `static` is set; `to` maps it inside the task (bridge/docker). */
export interface PortSpec {
  readonly static?: number;
  readonly to?: number;
  readonly hostNetwork?: string;
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/group */
export interface GroupSpec {
  readonly name: string;
  /** Instances; services need at least 1. Defaults to `scaling.min`, else 1. Ignored by system jobs. */
  readonly count?: number;
  /** @default "host" */
  readonly networkMode?: 'host' | 'bridge';
  readonly ports?: Readonly<Record<string, PortSpec>>;
  readonly services?: readonly ServiceSpec[];
  /** Prestart waits until these Consul services have a passing instance. */
  readonly waitFor?: readonly ServiceDependency[];
  readonly tasks: readonly TaskSpec[];
  readonly volumes?: Readonly<Record<string, VolumeSpec>>;
  readonly scaling?: ScalingSpec;
  /** Overrides the job's update policy for this group. */
  readonly update?: UpdatePolicy;
  readonly restart?: RestartPolicy;
  readonly reschedule?: ReschedulePolicy;
  readonly migrate?: MigratePolicy;
  readonly constraints?: readonly Constraint[];
  readonly affinities?: readonly Affinity[];
  readonly spreads?: readonly Spread[];
  readonly meta?: Readonly<Record<string, string>>;
  /** Delay between Consul deregistration and task kill, for connection draining. */
  readonly shutdownDelay?: Duration;
  /** @default 300 */
  readonly ephemeralDiskMb?: number;
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/periodic */
export interface PeriodicSpec {
  /** Cron expressions (5–7 fields, or `@daily`-style macros). */
  readonly crons: readonly string[];
  /** @default "UTC" */
  readonly timeZone?: string;
  /** @default true */
  readonly prohibitOverlap?: boolean;
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/parameterized */
export interface ParameterizedSpec {
  /** @default "optional" */
  readonly payload?: 'optional' | 'required' | 'forbidden';
  readonly metaRequired?: readonly string[];
  readonly metaOptional?: readonly string[];
}

interface JobBase {
  /** Nomad job ID: lower-case letters, digits and `-`. */
  readonly id: string;
  /** Shown in the Nomad UI. */
  readonly description?: string;
  /** Team that owns the job (job meta `drover.owner`). */
  readonly owner?: string;
  /** @default 50 */
  readonly priority?: number;
  /** Jobs whose deployments must succeed before this one is registered. */
  readonly dependsOn?: readonly string[];
  readonly groups: readonly GroupSpec[];
  readonly update?: UpdatePolicy;
  readonly constraints?: readonly Constraint[];
  readonly affinities?: readonly Affinity[];
  readonly spreads?: readonly Spread[];
  readonly meta?: Readonly<Record<string, string>>;
  /** Links shown in the Nomad UI (runbook, dashboard). */
  readonly links?: readonly { readonly label: string; readonly url: string }[];
  /** @default the environment's datacenters */
  readonly datacenters?: readonly string[];
  /** Requests QA makes after deploying a release, before it counts as verified (never rendered into Nomad). */
  readonly smoke?: readonly SmokeCheck[];
}

/**
 * A Nomad job as a service team writes it. `kind` picks Nomad's scheduler:
 * service (Deployment+Service), system (DaemonSet), batch (Job, CronJob with `periodic`,
 * dispatchable with `parameterized`).
 */
export type JobSpec =
  | (JobBase & { readonly kind: 'service' })
  | (JobBase & { readonly kind: 'system' })
  | (JobBase & { readonly kind: 'batch'; readonly periodic?: PeriodicSpec; readonly parameterized?: ParameterizedSpec });

export type JobKind = JobSpec['kind'];
