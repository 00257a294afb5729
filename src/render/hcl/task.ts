import type { NomadArtifact, NomadTask, NomadTemplate } from '../../wire/nomad-job.ts';
import { freeformBody } from './freeform.ts';
import { attr, block, durationAttr, mapAttr, mapBlock, optionalBlock, type HclItem } from './syntax.ts';

/** A `task` block. Driver `config` keys are written as given (snake_case, as in the driver docs). */
export function taskBlock(task: NomadTask): HclItem[] {
  return block('task', [task.Name], [
    ...attr('driver', task.Driver),
    ...attr('user', task.User),
    ...attr('leader', task.Leader),
    ...durationAttr('kill_timeout', task.KillTimeout),
    ...attr('kill_signal', task.KillSignal),
    ...mapAttr('env', task.Env),
    ...mapAttr('meta', task.Meta),
    ...block('config', [], freeformBody(task.Config, `task "${task.Name}" config`)),
    ...optionalBlock('lifecycle', task.Lifecycle, (l) => [...attr('hook', l.Hook), ...attr('sidecar', l.Sidecar)]),
    ...block('resources', [], [
      ...attr('cpu', task.Resources.CPU),
      ...attr('memory', task.Resources.MemoryMB),
      ...attr('memory_max', task.Resources.MemoryMaxMB),
    ]),
    ...(task.VolumeMounts ?? []).flatMap((m) =>
      block('volume_mount', [], [...attr('volume', m.Volume), ...attr('destination', m.Destination), ...attr('read_only', m.ReadOnly)]),
    ),
    ...(task.Artifacts ?? []).flatMap((a) => artifactBlock(a, task.Name)),
    ...optionalBlock('vault', task.Vault, (v) => [...attr('role', v.Role), ...attr('change_mode', v.ChangeMode), ...attr('env', v.Env)]),
    ...optionalBlock('consul', task.Consul, (c) => attr('cluster', c.Cluster)),
    ...(task.Templates ?? []).flatMap(templateBlock),
    ...optionalBlock('logs', task.LogConfig, (l) => [...attr('max_files', l.MaxFiles), ...attr('max_file_size', l.MaxFileSizeMB)]),
  ]);
}

/**
 * `template`, with `data` last: it is usually a multi-line heredoc, and consul-template's
 * `{{ }}` needs no escaping in HCL (only `${` and `%{` do, see literals.ts).
 */
function templateBlock(template: NomadTemplate): HclItem[] {
  return block('template', [], [
    ...attr('destination', template.DestPath),
    ...attr('change_mode', template.ChangeMode),
    ...attr('change_signal', template.ChangeSignal),
    ...attr('perms', template.Perms),
    ...attr('env', template.Envvars),
    ...attr('error_on_missing_key', template.ErrMissingKey),
    ...attr('data', template.EmbeddedTmpl),
  ]);
}

function artifactBlock(artifact: NomadArtifact, taskName: string): HclItem[] {
  return block('artifact', [], [
    ...attr('source', artifact.GetterSource),
    ...attr('destination', artifact.RelativeDest),
    ...attr('mode', artifact.GetterMode),
    ...mapBlock('options', artifact.GetterOptions, `task "${taskName}" artifact`),
  ]);
}
