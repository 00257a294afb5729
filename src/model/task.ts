import type { Duration } from './duration.ts';
import type { ConsulKeyRef, FileTemplate, SecretRef } from './secret.ts';
import type { VolumeMount } from './volume.ts';

/** @see https://developer.hashicorp.com/nomad/docs/drivers/docker */
export interface DockerDriver {
  readonly driver?: 'docker';
  /** Image reference, e.g. `ghcr.io/acme/api:1.4.2`; a release may pin it to a digest. */
  readonly image: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly entrypoint?: readonly string[];
  /** Port labels the container publishes. @default every port label of the group */
  readonly ports?: readonly string[];
  /** Extra docker driver options passed through verbatim (snake_case, as in Nomad's docs). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * `exec` runs the command isolated in a chroot (the client must run as root); `raw_exec` runs it
 * unisolated as the agent's user, e.g. on a dev agent.
 * @see https://developer.hashicorp.com/nomad/docs/drivers/exec
 * @see https://developer.hashicorp.com/nomad/docs/drivers/raw_exec
 */
export interface ExecDriver {
  readonly driver: 'exec' | 'raw_exec';
  /** Program to run: relative to the task directory (an artifact), absolute, or looked up on the agent's PATH. */
  readonly command: string;
  readonly args?: readonly string[];
  /**
   * Working directory of the command (`work_dir`): an absolute path, interpolated by Nomad, so
   * it may use `${meta.…}` of the client. For `exec` it must lie inside the task's chroot.
   * @default the task directory
   */
  readonly workDir?: string;
}

/** @see https://developer.hashicorp.com/nomad/docs/drivers/java */
export interface JavaDriver {
  readonly driver: 'java';
  readonly jarPath: string;
  readonly jvmOptions?: readonly string[];
  readonly args?: readonly string[];
}

export type TaskDriver = DockerDriver | ExecDriver | JavaDriver;

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/resources */
export interface Resources {
  /** MHz. */
  readonly cpu: number;
  readonly memoryMb: number;
  /** Memory oversubscription limit; must be ≥ `memoryMb`. */
  readonly memoryMaxMb?: number;
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/artifact */
export interface Artifact {
  readonly source: string;
  /** @default "local/" */
  readonly destination?: string;
  readonly mode?: 'any' | 'file' | 'dir';
  /** go-getter options, e.g. `{ checksum: "sha256:…" }`. */
  readonly options?: Readonly<Record<string, string>>;
}

/**
 * Init containers and sidecars, the Nomad way.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/lifecycle
 */
export interface Lifecycle {
  readonly hook: 'prestart' | 'poststart' | 'poststop';
  /** Keep running alongside the main task. @default false */
  readonly sidecar?: boolean;
}

export type TaskSpec = TaskDriver & {
  readonly name: string;
  /** Plain configuration only; credentials belong in `secrets`. */
  readonly env?: Readonly<Record<string, string>>;
  readonly resources: Resources;
  /** Vault KV v2 values exposed as environment variables. */
  readonly secrets?: readonly SecretRef[];
  /** Consul KV values exposed as environment variables (implies `consulIdentity`). */
  readonly config?: readonly ConsulKeyRef[];
  /**
   * The task logs in to Consul with its workload identity (Nomad's task `consul` block): where the
   * Nomad servers set `consul.task_identity`, Nomad exchanges the task's JWT at Consul's JWT auth
   * method for a token, uses it for the task's templates, and gives it to the task as
   * `CONSUL_HTTP_TOKEN` and `CONSUL_TOKEN` (and `secrets/consul_token`). What the token may do is
   * decided by Consul's binding rules (terraform/modules/consul-nomad-workloads). Without
   * `task_identity` (Consul without ACLs, as in dev) Nomad gives no token and nothing changes.
   * For a task that reads Consul itself, e.g. Fabio.
   * @default true when `config` is set (its template reads Consul KV), else false
   * @see https://developer.hashicorp.com/nomad/docs/job-specification/consul
   */
  readonly consulIdentity?: boolean;
  readonly templates?: readonly FileTemplate[];
  readonly artifacts?: readonly Artifact[];
  readonly lifecycle?: Lifecycle;
  readonly volumeMounts?: readonly VolumeMount[];
  /** @default "5s" */
  readonly killTimeout?: Duration;
  readonly killSignal?: string;
  /** @see https://developer.hashicorp.com/nomad/docs/job-specification/logs */
  readonly logs?: { readonly maxFiles: number; readonly maxFileSizeMb: number };
  /** Other tasks are killed when the leader exits. */
  readonly leader?: boolean;
  readonly user?: string;
  readonly meta?: Readonly<Record<string, string>>;
};
