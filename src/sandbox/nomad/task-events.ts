import { goDuration, unixNanos } from '../json.ts';
import type { TaskEvent } from './model.ts';

/**
 * Task events as the Nomad client creates them: every field present, `Details` filled by the
 * setters (`message`, `driver_error`, `exit_code`, …) and `DisplayMessage` synthesized the way
 * the client does (nomad.md §5).
 */
export function taskEvent(type: string, ms: number, fields: Partial<TaskEvent> = {}): TaskEvent {
  const event: TaskEvent = {
    Type: type, Time: unixNanos(ms), Message: '', DisplayMessage: '', Details: {}, FailsTask: false, RestartReason: '',
    SetupError: '', DriverError: '', DriverMessage: '', ExitCode: 0, Signal: 0, KillReason: '', KillTimeout: 0, KillError: '',
    StartDelay: 0, DownloadError: '', ValidationError: '', DiskLimit: 0, FailedSibling: '', VaultError: '',
    TaskSignalReason: '', TaskSignal: '', GenericSource: '', ...fields,
  };
  event.Details = { ...details(event), ...fields.Details };
  if (!fields.DisplayMessage) event.DisplayMessage = displayMessage(event);
  return event;
}

function details(e: TaskEvent): Record<string, string> {
  const d: Record<string, string> = {};
  if (e.Message) d.message = e.Message;
  if (e.FailsTask) d.fails_task = 'true';
  if (e.RestartReason) d.restart_reason = e.RestartReason;
  if (e.DriverError) d.driver_error = e.DriverError;
  if (e.DriverMessage) d.driver_message = e.DriverMessage;
  if (e.SetupError) d.setup_error = e.SetupError;
  if (e.Type === 'Terminated') (d.exit_code = String(e.ExitCode), (d.signal = String(e.Signal)));
  if (e.StartDelay) d.start_delay = String(e.StartDelay);
  if (e.KillTimeout) d.kill_timeout = goDuration(e.KillTimeout);
  if (e.KillReason) d.kill_reason = e.KillReason;
  return d;
}

function displayMessage(e: TaskEvent): string {
  switch (e.Type) {
    case 'Received':
      return 'Task received by client';
    case 'Started':
      return 'Task started by client';
    case 'Terminated':
      return `Exit Code: ${e.ExitCode}${e.Signal ? `, Signal: ${e.Signal}` : ''}${e.Message ? `, Exit Message: ${JSON.stringify(e.Message)}` : ''}`;
    case 'Restarting': {
      const in_ = `Task restarting in ${goDuration(e.StartDelay)}`;
      return e.RestartReason && e.RestartReason !== RESTART_WITHIN_POLICY ? `${e.RestartReason} - ${in_}` : in_;
    }
    case 'Not Restarting':
      return e.RestartReason || 'Task exceeded restart policy';
    case 'Driver Failure':
      return e.DriverError || 'Failed to start task';
    case 'Setup Failure':
      return e.SetupError;
    case 'Killing':
      return e.KillReason || `Sent interrupt. Waiting ${goDuration(e.KillTimeout)} before force killing`;
    case 'Killed':
      return 'Task successfully killed';
    case 'Driver':
      return e.DriverMessage;
    default:
      return e.Message;
  }
}

/** `ReasonWithinPolicy` of the client's restart tracker. */
export const RESTART_WITHIN_POLICY = 'Restart within policy';

/** `Exceeded allowed attempts N in interval D and mode is "fail"` (restart tracker). */
export function exceededAttempts(attempts: number, intervalNs: number): string {
  return `Exceeded allowed attempts ${attempts} in interval ${goDuration(intervalNs)} and mode is "fail"`;
}

/**
 * An executor-based driver (raw_exec, exec) asked to run a command that does not exist: the
 * executor's `lookupBin` error (drivers/shared/executor/executor.go) crosses the executor plugin's
 * gRPC boundary (hence `rpc error: code = Unknown desc =`) and is wrapped by the driver's
 * StartTask (drivers/rawexec/driver.go: "failed to launch command with executor"). It is not a
 * recoverable error, so the restart tracker answers "Error was unrecoverable".
 */
export function missingBinary(path: string): string {
  return `failed to launch command with executor: rpc error: code = Unknown desc = binary ${JSON.stringify(path)} could not be found`;
}

/** Docker's pull failure as the Nomad docker driver wraps it. */
export function pullFailure(image: string): string {
  return `Failed to pull \`${image}\`: Error response from daemon: manifest for ${image} not found: manifest unknown: manifest unknown`;
}
