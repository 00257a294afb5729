import type { Environment } from '../config/environment.ts';
import type { TaskSpec } from '../model/task.ts';
import type { NomadTask, NomadTemplate } from '../wire/nomad-job.ts';
import { compact, sortedMap } from './canonical-json.ts';
import { pinImage } from './image.ts';
import { optionalNanos } from './nanos.ts';
import { renderConsulEnvTemplate, renderFileTemplate, renderVaultEnvTemplate } from './templates.ts';

export interface TaskRenderOptions {
  readonly jobId: string;
  readonly env: Environment;
  /** Port labels of the group, published by docker tasks that do not list their own. */
  readonly portLabels: readonly string[];
  readonly images: Readonly<Record<string, string>> | undefined;
}

/** Vault JWT role a job's tasks log in with; policies and roles are derived per job (issue: secrets). */
export function vaultRoleName(jobId: string): string {
  return `drover-${jobId}`;
}

/** Nomad CE's only Consul cluster (its `consul` agent block without `name`). */
const NOMAD_CONSUL_CLUSTER = 'default';

/** Whether the task logs in to Consul with its workload identity (see `TaskSpec.consulIdentity`). */
export function hasConsulIdentity(task: TaskSpec): boolean {
  return task.consulIdentity ?? (task.config?.length ?? 0) > 0;
}

export function renderTask(task: TaskSpec, options: TaskRenderOptions): NomadTask {
  const templates: NomadTemplate[] = [];
  if (task.secrets?.length) templates.push(renderVaultEnvTemplate(task.secrets, options.env.vault.kvMount));
  if (task.config?.length) templates.push(renderConsulEnvTemplate(task.config));
  for (const file of task.templates ?? []) templates.push(renderFileTemplate(file));
  return compact({
    Name: task.name,
    Driver: task.driver ?? 'docker',
    User: task.user,
    Config: renderDriverConfig(task, options),
    Env: sortedMap(task.env),
    Resources: compact({ CPU: task.resources.cpu, MemoryMB: task.resources.memoryMb, MemoryMaxMB: task.resources.memoryMaxMb }),
    Templates: templates.length ? templates : undefined,
    // Env: false — templates are rendered by the Nomad client; the task itself never needs the token.
    Vault: task.secrets?.length ? { Role: vaultRoleName(options.jobId), ChangeMode: 'noop', Env: false } : undefined,
    // Nomad has no Env: false here: the task always gets CONSUL_HTTP_TOKEN (Fabio's Consul client reads it).
    Consul: hasConsulIdentity(task) ? { Cluster: NOMAD_CONSUL_CLUSTER } : undefined,
    Artifacts: task.artifacts?.length
      ? task.artifacts.map((a) =>
          compact({ GetterSource: a.source, RelativeDest: a.destination ?? 'local/', GetterMode: a.mode, GetterOptions: sortedMap(a.options) }),
        )
      : undefined,
    Lifecycle: task.lifecycle ? { Hook: task.lifecycle.hook, Sidecar: task.lifecycle.sidecar ?? false } : undefined,
    VolumeMounts: task.volumeMounts?.length
      ? task.volumeMounts.map((m) => ({ Volume: m.volume, Destination: m.destination, ReadOnly: m.readOnly ?? false }))
      : undefined,
    KillTimeout: optionalNanos(task.killTimeout),
    KillSignal: task.killSignal,
    LogConfig: task.logs ? { MaxFiles: task.logs.maxFiles, MaxFileSizeMB: task.logs.maxFileSizeMb } : undefined,
    Leader: task.leader,
    Meta: sortedMap(task.meta),
  });
}

/** Driver config keys stay snake_case, exactly as in Nomad's driver docs. */
function renderDriverConfig(task: TaskSpec, options: TaskRenderOptions): Record<string, unknown> {
  switch (task.driver) {
    case 'exec':
    case 'raw_exec':
      return compact({ command: task.command, args: task.args ? [...task.args] : undefined, work_dir: task.workDir });
    case 'java':
      return compact({
        jar_path: task.jarPath,
        jvm_options: task.jvmOptions ? [...task.jvmOptions] : undefined,
        args: task.args ? [...task.args] : undefined,
      });
    default: {
      const ports = task.ports ?? options.portLabels;
      return compact({
        ...task.extra,
        image: pinImage(task.image, options.images),
        command: task.command,
        args: task.args ? [...task.args] : undefined,
        entrypoint: task.entrypoint ? [...task.entrypoint] : undefined,
        ports: ports.length ? [...ports] : undefined,
      });
    }
  }
}
