import { rfc3339 } from '../json.ts';
import type { Allocation, Json, TaskEvent, TaskState } from './model.ts';

/** Tasks of an allocation's group. */
export function tasksOf(alloc: Allocation): Json[] {
  const group = alloc.Job.TaskGroups.find((g) => g.Name === alloc.TaskGroup);
  return (group?.Tasks as Json[] | null) ?? [];
}

/** Prestart/poststop tasks that run once and exit (not sidecars). */
export function isEphemeral(task: Json): boolean {
  const lifecycle = task.Lifecycle as Json | null | undefined;
  return !!lifecycle && lifecycle.Sidecar !== true && lifecycle.Hook !== 'poststart';
}

/** Names of the long-running tasks (health and failures are decided on these). */
export function mainTaskNames(alloc: Allocation): string[] {
  const tasks = tasksOf(alloc);
  const main = tasks.filter((t) => !isEphemeral(t));
  return (main.length > 0 ? main : tasks).map((t) => String(t.Name));
}

/** Fresh `TaskState` for every task. */
export function initialTaskStates(alloc: Allocation): Record<string, TaskState> {
  const states: Record<string, TaskState> = {};
  for (const task of tasksOf(alloc)) {
    states[String(task.Name)] = { State: 'pending', Failed: false, Restarts: 0, LastRestart: null, StartedAt: null, FinishedAt: null, Events: [], Paused: '' };
  }
  return states;
}

/** Appends an event to tasks (the client keeps the last 10 per task). */
export function appendEvent(alloc: Allocation, tasks: readonly string[], event: TaskEvent): void {
  for (const name of tasks) {
    const state = alloc.TaskStates?.[name];
    if (!state) continue;
    state.Events = [...state.Events, { ...event, Details: { ...event.Details } }].slice(-10);
  }
}

/** Changes the lifecycle state of tasks, stamping StartedAt/FinishedAt like the client. */
export function setTaskState(alloc: Allocation, tasks: readonly string[], state: TaskState['State'], ms: number, failed = false): void {
  for (const name of tasks) {
    const task = alloc.TaskStates?.[name];
    if (!task) continue;
    task.State = state;
    if (state === 'running') task.StartedAt = rfc3339(ms);
    if (state === 'dead') (task.FinishedAt = rfc3339(ms), (task.Failed = failed));
  }
}

/** Derives ClientStatus/ClientDescription from the task states (the client's `getClientStatus`). */
export function deriveClientStatus(alloc: Allocation): void {
  if (alloc.ClientStatus === 'failed' || alloc.ClientStatus === 'lost') return;
  const states = Object.values(alloc.TaskStates ?? {});
  if (states.length === 0) return;
  const main = mainTaskNames(alloc).map((n) => alloc.TaskStates?.[n]).filter((s): s is TaskState => !!s);
  if (states.some((s) => s.Failed)) return setStatus(alloc, 'failed', 'Failed tasks');
  if (states.every((s) => s.State === 'dead')) return setStatus(alloc, 'complete', 'All tasks have completed');
  if (main.some((s) => s.State === 'running')) return setStatus(alloc, 'running', 'Tasks are running');
  setStatus(alloc, 'pending', 'No tasks have started');
}

function setStatus(alloc: Allocation, status: Allocation['ClientStatus'], description: string): void {
  alloc.ClientStatus = status;
  alloc.ClientDescription = description;
}

/** Image of a docker task, for `Downloading image` events. */
export function imageOf(task: Json): string {
  const config = task.Config as Json | null | undefined;
  return typeof config?.image === 'string' ? config.image : '';
}

/** Vault paths a task's templates read (`with secret "path"`), as consul-template names them. */
export function vaultReads(alloc: Allocation): string[] {
  const paths = tasksOf(alloc).flatMap((task) =>
    ((task.Templates as Json[] | null) ?? []).flatMap((t) => [...String(t.EmbeddedTmpl ?? '').matchAll(/secret\s+"([^"]+)"/g)].map((m) => m[1]!)),
  );
  return [...new Set(paths)];
}
