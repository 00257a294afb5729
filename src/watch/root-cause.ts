import type { NomadAllocListStub, NomadTaskEvent, NomadUnixNanos } from '../wire/nomad-api.ts';

/**
 * What kind of failure an allocation's task events show. `restarts-exhausted`: the task kept
 * exiting non-zero (the cause carries its exit code); `unhealthy`: nothing failed but the deployment
 * health tracker gave up (`Alloc Unhealthy`).
 */
export type FailureKind =
  | 'driver'
  | 'validation'
  | 'setup'
  | 'artifact'
  | 'template'
  | 'vault'
  | 'killed'
  | 'oom'
  | 'restarts-exhausted'
  | 'unhealthy';

/** One task event, reduced to what explains a failure. */
export interface FailureEvent {
  readonly task: string;
  /** Nomad's `TaskEvent.Type`, e.g. `Driver Failure`. */
  readonly type: string;
  readonly message: string;
  /** Nomad's `TaskEvent.Details` (`driver_error`, `exit_code`, `oom_killed`, `restart_reason`, …). */
  readonly details: Readonly<Record<string, string>>;
  readonly time: NomadUnixNanos;
}

/** The first failing event and what Nomad did about it afterwards. */
export interface RootCause {
  readonly kind: FailureKind;
  readonly cause: FailureEvent;
  /** In order: `Not Restarting`, `Sibling Task Failed`, `Alloc Unhealthy` (same type and message once). */
  readonly consequences: readonly FailureEvent[];
}

/**
 * Events that only report what Nomad did because of an earlier failure: the restart tracker giving
 * up (`Not Restarting`, whose `restart_reason` is "Error was unrecoverable" or "Exceeded allowed
 * attempts …"), the alloc runner killing the siblings of a failed task, the deployment health
 * tracker's verdict. Shown after the cause, never instead of it.
 */
const CONSEQUENCES = new Set(['Not Restarting', 'Sibling Task Failed', 'Alloc Unhealthy']);

/** Failures a later start of the same task overcame (a retried pull, a template that finally rendered). */
const OVERCOME_BY_START = new Set<FailureKind>(['driver', 'validation', 'setup', 'artifact', 'template']);

/**
 * The root cause of an allocation's failure: the earliest failing task event (across its tasks),
 * with the consequences that followed it. Pure. `undefined` when no event shows a failure.
 */
export function findRootCause(alloc: Pick<NomadAllocListStub, 'TaskStates'>): RootCause | undefined {
  const events = allEvents(alloc);
  const causes = events.filter((e, i) => {
    const kind = causeKind(e.raw);
    if (kind === undefined || (OVERCOME_BY_START.has(kind) && startedLater(events, i))) return false;
    return !(e.raw.Type === 'Terminated' && kind !== 'oom' && killedBefore(events, i));
  });
  const first = causes[0] ?? events.find((e) => e.raw.Type === 'Not Restarting') ?? events.find((e) => e.raw.Type === 'Alloc Unhealthy');
  if (!first) return undefined;
  const kind = causeKind(first.raw) ?? (first.raw.Type === 'Alloc Unhealthy' ? 'unhealthy' : 'restarts-exhausted');
  const after = events.slice(events.indexOf(first) + 1).filter((e) => CONSEQUENCES.has(e.raw.Type));
  const seen = new Set<string>();
  const consequences = after.map((e) => e.event).filter((e) => {
    const key = `${e.type}\n${e.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { kind, cause: first.event, consequences };
}

/**
 * Whether an event, on its own, is a failure, and of which kind. Types and fields as the Nomad
 * client writes them (client/allocrunner/taskrunner: task_runner.go, artifact_hook.go,
 * template/template.go, vault_hook.go; drivers/docker/handle.go for OOM).
 */
export function causeKind(event: NomadTaskEvent): FailureKind | undefined {
  switch (event.Type) {
    case 'Driver Failure':
      return 'driver';
    case 'Failed Validation':
      return 'validation';
    case 'Setup Failure':
    case 'Task hook failed':
      return 'setup';
    case 'Failed Artifact Download':
      return 'artifact';
    case 'Template':
      // Also emitted for benign re-renders; only consul-template's "Missing: vault.read(…)" /
      // "Missing: kv.block(…)" means a dependency it cannot read.
      return /\bmissing\b/i.test(eventMessage(event)) ? 'template' : undefined;
    case 'Killing':
    case 'Killed':
      return killKind(event);
    case 'Disk Resources Exceeded':
      return 'killed';
    case 'Terminated':
      if (isOomKilled(event)) return 'oom';
      return event.ExitCode !== 0 || event.Signal !== 0 ? 'restarts-exhausted' : undefined;
    default:
      return undefined;
  }
}

/** A kill that fails the task (`fails_task`): the template, Vault or identity hook gave up. */
function killKind(event: NomadTaskEvent): FailureKind | undefined {
  if (event.VaultError || event.Details['vault_renewal_error']) return 'vault';
  if (!(event.FailsTask || event.Details['fails_task'] === 'true') && !event.KillError) return undefined;
  const message = eventMessage(event);
  if (/^Vault\b/.test(message)) return 'vault';
  if (/^Template\b/.test(message)) return 'template';
  return 'killed';
}

/** The docker driver sets `oom_killed` and the exit message "OOM Killed". */
function isOomKilled(event: NomadTaskEvent): boolean {
  return event.Details['oom_killed'] === 'true' || event.Message === 'OOM Killed';
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

interface Located {
  readonly raw: NomadTaskEvent;
  readonly event: FailureEvent;
  readonly order: number;
}

/** Every task's events in time order; equal times keep task name, then per-task, order. */
function allEvents(alloc: Pick<NomadAllocListStub, 'TaskStates'>): Located[] {
  const tasks = Object.entries(alloc.TaskStates ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const located = tasks.flatMap(([task, state], t) =>
    (state.Events ?? []).map((raw, i) => ({
      raw,
      order: t * 1000 + i,
      event: { task, type: raw.Type, message: eventMessage(raw), details: { ...(raw.Details ?? {}) }, time: raw.Time },
    })),
  );
  return located.sort((a, b) => compareNanos(a.raw.Time, b.raw.Time) || a.order - b.order);
}

function startedLater(events: readonly Located[], index: number): boolean {
  const { task } = events[index]!.event;
  return events.slice(index + 1).some((e) => e.event.task === task && e.raw.Type === 'Started');
}

/** A task stopped by Nomad (`Killing`, then its exit) did not fail on its own. */
function killedBefore(events: readonly Located[], index: number): boolean {
  const { task } = events[index]!.event;
  const earlier = events.slice(0, index).filter((e) => e.event.task === task && (e.raw.Type === 'Started' || e.raw.Type === 'Killing'));
  return earlier.at(-1)?.raw.Type === 'Killing';
}

function compareNanos(a: string, b: string): number {
  const [x, y] = [toBigInt(a), toBigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function toBigInt(value: string): bigint {
  return /^\d+$/.test(value) ? BigInt(value) : 0n;
}

/** "Driver Failure: … → Not Restarting: Error was unrecoverable → Alloc Unhealthy: …" */
export function describeRootCause(root: { readonly cause: Pick<FailureEvent, 'type' | 'message'>; readonly consequences: readonly Pick<FailureEvent, 'type' | 'message'>[] }): string {
  return [root.cause, ...root.consequences].map((e) => `${e.type}: ${e.message}`).join(' → ');
}
