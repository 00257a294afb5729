import { asObject } from '../http.ts';
import { NomadError } from './job-writes.ts';
import type { Json } from './model.ts';
import { multiError } from './watcher.ts';

/**
 * Duration fields by Go struct, with the JSON path below `Job`. A string there (`"30s"`) is a
 * decode error in Nomad (400), because durations are integer nanoseconds (nomad.md §1).
 */
const DURATIONS: readonly [struct: string, path: string, fields: readonly string[]][] = [
  ['UpdateStrategy', 'Update', ['Stagger', 'MinHealthyTime', 'HealthyDeadline', 'ProgressDeadline']],
  ['UpdateStrategy', 'TaskGroups.Update', ['Stagger', 'MinHealthyTime', 'HealthyDeadline', 'ProgressDeadline']],
  ['RestartPolicy', 'TaskGroups.RestartPolicy', ['Interval', 'Delay']],
  ['ReschedulePolicy', 'TaskGroups.ReschedulePolicy', ['Interval', 'Delay', 'MaxDelay']],
  ['TaskGroup', 'TaskGroups', ['ShutdownDelay', 'StopAfterClientDisconnect', 'MaxClientDisconnect']],
  ['Task', 'TaskGroups.Tasks', ['KillTimeout', 'ShutdownDelay']],
  ['ServiceCheck', 'TaskGroups.Services.Checks', ['Interval', 'Timeout']],
  ['ServiceCheck', 'TaskGroups.Tasks.Services.Checks', ['Interval', 'Timeout']],
  ['Template', 'TaskGroups.Tasks.Templates', ['Splay', 'VaultGrace']],
];

/** Checks the decodable shape of a job in a request body (`root` names the request struct). */
export function checkJobDecodes(job: Json): void {
  for (const [struct, path, fields] of DURATIONS) {
    for (const object of objectsAt(job, path.split('.'))) {
      for (const name of fields) {
        const value = object[name];
        if (value !== undefined && value !== null && typeof value !== 'number') {
          const kind = typeof value === 'string' ? 'string' : Array.isArray(value) ? 'array' : typeof value;
          throw new NomadError(400, `json: cannot unmarshal ${kind} into Go struct field ${struct}.Job.${path}.${name} of type time.Duration`);
        }
      }
    }
  }
}

function objectsAt(root: Json, path: readonly string[]): Json[] {
  let level: Json[] = [root];
  for (const key of path) {
    level = level.flatMap((object) => {
      const value = object[key];
      if (Array.isArray(value)) return value.map(asObject).filter((o): o is Json => !!o);
      const single = asObject(value);
      return single ? [single] : [];
    });
  }
  return level;
}

/** Nomad's server-side validation, for the mistakes the sandbox can see; 500 multierror text. */
export function validateJob(job: Json): void {
  const errors: string[] = [];
  const type = job.Type ?? 'service';
  if (!['service', 'batch', 'system', 'sysbatch'].includes(String(type))) errors.push(`Invalid job type: "${String(type)}"`);
  const groups = Array.isArray(job.TaskGroups) ? (job.TaskGroups as Json[]) : [];
  if (groups.length === 0) errors.push('Missing job task groups');
  for (const group of groups) {
    const problems: string[] = [];
    const tasks = Array.isArray(group.Tasks) ? (group.Tasks as Json[]) : [];
    if (tasks.length === 0) problems.push('Missing tasks for task group');
    for (const task of tasks) if (!task.Driver) problems.push(`Task ${String(task.Name)} validation failed: ${multiError(['Missing task driver'])}`);
    if (typeof group.Count === 'number' && group.Count < 0) problems.push('Task group count can\'t be negative');
    if (problems.length > 0) errors.push(`Task group ${String(group.Name)} validation failed: ${multiError(problems)}`);
  }
  if (errors.length > 0) throw new NomadError(500, multiError(errors));
}
