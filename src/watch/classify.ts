import type { NomadAllocListStub, NomadTaskEvent } from '../wire/nomad-api.ts';
import { describeRootCause, eventMessage, findRootCause, type FailureEvent, type FailureKind } from './root-cause.ts';

export { eventMessage } from './root-cause.ts';

/**
 * Why an allocation cannot become healthy, with everything a person needs to act on it. The
 * headline (`eventType`, `message`, `details`) is the root cause — the first failing task event —
 * and `consequences` what Nomad did about it, so "Not Restarting: Error was unrecoverable" never
 * hides the `Driver Failure` that explains it.
 */
export interface AllocationFailure {
  readonly kind: FailureKind | 'task-failed';
  readonly allocId: string;
  readonly allocName: string;
  readonly group: string;
  /** The task of the root cause. */
  readonly task: string;
  /** Nomad's task event type of the root cause, e.g. `Driver Failure`. */
  readonly eventType: string;
  readonly message: string;
  /** The root cause event's `Details` (`driver_error`, `exit_code`, `oom_killed`, …). */
  readonly details: Readonly<Record<string, string>>;
  /** What followed the cause: `Not Restarting`, `Sibling Task Failed`, `Alloc Unhealthy`. */
  readonly consequences: readonly Pick<FailureEvent, 'task' | 'type' | 'message'>[];
}

/**
 * Task event types that mean the allocation will not recover on its own, whatever the deadlines:
 * retrying an image that cannot be pulled, a template whose Vault secret or Consul key is missing,
 * or a task whose restart policy is spent only burns Nomad's healthy_deadline (5 min by default).
 */
const TERMINAL_EVENTS = new Set(['Driver Failure', 'Setup Failure', 'Failed Artifact Download', 'Failed Validation', 'Not Restarting']);

/**
 * The allocation's failure once one of its events is unambiguous, or undefined while it may still
 * succeed. Whether it failed is decided on any terminal event; what is reported is the root cause.
 * Pure: looks only at the allocation snapshot.
 */
export function classifyAllocationFailure(alloc: NomadAllocListStub): AllocationFailure | undefined {
  const states = Object.values(alloc.TaskStates ?? {});
  const fatal = states.some((s) => (s.Events ?? []).some(isTerminal));
  const failedTask = alloc.ClientStatus === 'failed' && states.some((s) => s.Failed);
  if (!fatal && !failedTask) return undefined;
  const root = findRootCause(alloc);
  const at = { allocId: alloc.ID, allocName: alloc.Name, group: alloc.TaskGroup };
  if (root) {
    const { cause } = root;
    const consequences = root.consequences.map(({ task, type, message }) => ({ task, type, message }));
    return { kind: root.kind, ...at, task: cause.task, eventType: cause.type, message: cause.message, details: cause.details, consequences };
  }
  return failedTaskFailure(alloc, at);
}

/** A failed task whose events name no failure (trimmed to the last 10, or an old agent): its last event. */
function failedTaskFailure(alloc: NomadAllocListStub, at: Pick<AllocationFailure, 'allocId' | 'allocName' | 'group'>): AllocationFailure {
  const tasks = Object.entries(alloc.TaskStates ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const [task, state] = tasks.find(([, s]) => s.Failed) ?? tasks[0]!;
  const last = state.Events?.[state.Events.length - 1];
  return {
    kind: 'task-failed',
    ...at,
    task,
    eventType: last?.Type ?? 'Terminated',
    message: last ? eventMessage(last) : alloc.ClientDescription || 'task failed',
    details: { ...(last?.Details ?? {}) },
    consequences: [],
  };
}

/** The root cause first, then its consequences: "Driver Failure: … → Not Restarting: Error was unrecoverable". */
export function summarizeFailure(failure: AllocationFailure): string {
  return describeRootCause({ cause: { type: failure.eventType, message: failure.message }, consequences: failure.consequences });
}

function isTerminal(event: NomadTaskEvent): boolean {
  if (TERMINAL_EVENTS.has(event.Type)) return true;
  // `Template` events are also emitted for benign re-renders; only a missing dependency is fatal.
  if (event.Type === 'Template') return /\bmissing\b/i.test(eventMessage(event));
  // A kill that fails the task: the template, Vault or identity hook gave up (client/allocrunner/taskrunner).
  return event.Type === 'Killing' && (Boolean(event.VaultError) || event.FailsTask || event.Details?.['fails_task'] === 'true');
}
