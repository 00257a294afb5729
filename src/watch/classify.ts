import type { NomadAllocListStub, NomadTaskEvent } from '../wire/nomad-api.ts';

/** Why an allocation cannot become healthy, with everything a person needs to act on it. */
export interface AllocationFailure {
  readonly kind: 'driver' | 'template' | 'restarts-exhausted' | 'setup' | 'artifact' | 'task-failed';
  readonly allocId: string;
  readonly allocName: string;
  readonly group: string;
  readonly task: string;
  /** Nomad's task event type, e.g. `Driver Failure`. */
  readonly eventType: string;
  readonly message: string;
}

/**
 * Task event types that mean the allocation will not recover on its own, whatever the deadlines:
 * retrying an image that cannot be pulled, a template whose Vault secret or Consul key is missing,
 * or a task whose restart policy is spent only burns Nomad's healthy_deadline (5 min by default).
 */
const TERMINAL_EVENTS: Readonly<Record<string, AllocationFailure['kind']>> = {
  'Driver Failure': 'driver',
  'Setup Failure': 'setup',
  'Failed Artifact Download': 'artifact',
  'Failed Validation': 'setup',
  'Not Restarting': 'restarts-exhausted',
};

/** consul-template reports a dependency it cannot read as `Missing: vault.read(...)` / `kv.block(...)`. */
const MISSING_TEMPLATE_DEPENDENCY = /\bmissing\b/i;

/**
 * The first unambiguous failure in an allocation's task events, or undefined while it may still
 * succeed. Pure: looks only at the allocation snapshot.
 */
export function classifyAllocationFailure(alloc: NomadAllocListStub): AllocationFailure | undefined {
  for (const [task, state] of Object.entries(alloc.TaskStates ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const event of [...(state.Events ?? [])].reverse()) {
      const kind = eventKind(event);
      if (kind) return { kind, allocId: alloc.ID, allocName: alloc.Name, group: alloc.TaskGroup, task, eventType: event.Type, message: eventMessage(event) };
    }
    if (state.Failed && alloc.ClientStatus === 'failed') {
      const last = state.Events?.[state.Events.length - 1];
      return {
        kind: 'task-failed',
        allocId: alloc.ID,
        allocName: alloc.Name,
        group: alloc.TaskGroup,
        task,
        eventType: last?.Type ?? 'Terminated',
        message: last ? eventMessage(last) : alloc.ClientDescription || 'task failed',
      };
    }
  }
  return undefined;
}

function eventKind(event: NomadTaskEvent): AllocationFailure['kind'] | undefined {
  const terminal = TERMINAL_EVENTS[event.Type];
  if (terminal) return terminal;
  // `Template` events are also emitted for benign re-renders; only a missing dependency is fatal.
  if (event.Type === 'Template' && MISSING_TEMPLATE_DEPENDENCY.test(eventMessage(event))) return 'template';
  if (event.Type === 'Killing' && event.VaultError) return 'template';
  return undefined;
}

/** Nomad fills DisplayMessage on read; the specific fields are the fallback for older agents. */
export function eventMessage(event: NomadTaskEvent): string {
  return (
    event.DisplayMessage ||
    event.DriverError ||
    event.SetupError ||
    event.DownloadError ||
    event.ValidationError ||
    event.VaultError ||
    event.KillError ||
    event.RestartReason ||
    event.Message ||
    event.Type
  );
}
