import { describe, expect, it } from 'vitest';
import { classifyAllocationFailure, summarizeFailure } from '../../../src/watch/classify.ts';
import { findRootCause } from '../../../src/watch/root-cause.ts';
import type { NomadTaskEvent } from '../../../src/wire/nomad-api.ts';
import { anAllocation, aTaskEvent, aTaskState } from './builders.ts';

/**
 * Task events as a Nomad 2.0 client writes them: the typed field and the `Details` key its setter
 * fills (nomad/structs/structs.go `SetDriverError` → `driver_error`, `SetRestartReason` →
 * `restart_reason`, `SetFailsTask` → `fails_task`, `SetExitCode` → `exit_code`, `SetOOMKilled` →
 * `oom_killed`, `SetMessage` → `message`), and the DisplayMessage `PopulateEventDisplayMessage` gives.
 */
let clock = 0n;
const at = (): NomadTaskEvent['Time'] => `${1_700_000_000_000_000_000n + (clock += 1_000_000n)}`;
const ev = (type: string, display: string, fields: Partial<NomadTaskEvent> = {}) => aTaskEvent(type, display, { Time: at(), ...fields });

const received = () => ev('Received', 'Task received by client');
const setup = () => ev('Task Setup', 'Building Task Directory', { Message: 'Building Task Directory', Details: { message: 'Building Task Directory' } });
const started = () => ev('Started', 'Task started by client');
const driverFailure = (error: string) => ev('Driver Failure', error, { DriverError: error, Details: { driver_error: error } });
const notRestarting = (reason: string) => ev('Not Restarting', reason, { RestartReason: reason, FailsTask: true, Details: { restart_reason: reason, fails_task: 'true' } });
const restarting = () => ev('Restarting', 'Task restarting in 16.2s', { RestartReason: 'Restart within policy', Details: { restart_reason: 'Restart within policy', start_delay: '16200000000' } });
const terminated = (code: number, message = '') =>
  ev('Terminated', `Exit Code: ${code}${message ? `, Exit Message: ${JSON.stringify(message)}` : ''}`, {
    ExitCode: code,
    Message: message,
    Details: { exit_code: String(code), signal: '0', oom_killed: String(message === 'OOM Killed'), ...(message ? { exit_message: message } : {}) },
  });
const unhealthy = (message: string) => ev('Alloc Unhealthy', message, { Message: message, Details: { message } });

const MISSING_BINARY = 'failed to launch command with executor: rpc error: code = Unknown desc = binary "/nonexistent/bin/api" could not be found';
const EXHAUSTED = 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"';

function failed(events: NomadTaskEvent[], task = 'api') {
  return anAllocation({ ClientStatus: 'failed', TaskStates: { [task]: aTaskState(events, { State: 'dead', Failed: true }) } });
}

describe('findRootCause', () => {
  it('puts the driver failure of a missing binary before Not Restarting and Alloc Unhealthy', () => {
    const alloc = failed([received(), setup(), driverFailure(MISSING_BINARY), notRestarting('Error was unrecoverable'), unhealthy('Unhealthy because of failed task')]);
    const root = findRootCause(alloc)!;
    expect(root.kind).toBe('driver');
    expect(root.cause).toMatchObject({ task: 'api', type: 'Driver Failure', message: MISSING_BINARY, details: { driver_error: MISSING_BINARY } });
    expect(root.consequences.map((e) => `${e.type}: ${e.message}`)).toEqual(['Not Restarting: Error was unrecoverable', 'Alloc Unhealthy: Unhealthy because of failed task']);
  });

  it('names the first of repeated image pull failures, then the spent restart policy', () => {
    const pull = 'Failed to pull `ghcr.io/acme/api:9.9.9`: Error response from daemon: manifest for ghcr.io/acme/api:9.9.9 not found: manifest unknown: manifest unknown';
    const alloc = failed([driverFailure(pull), restarting(), driverFailure(pull), restarting(), driverFailure(pull), notRestarting(EXHAUSTED)]);
    const root = findRootCause(alloc)!;
    expect(root).toMatchObject({ kind: 'driver', cause: { type: 'Driver Failure', message: pull } });
    expect(root.consequences.map((e) => e.type)).toEqual(['Not Restarting']);
  });

  it('reports a template blocked on a missing Vault secret, and on a missing Consul key', () => {
    const vault = findRootCause(anAllocation({ TaskStates: { api: aTaskState([received(), setup(), ev('Template', 'Missing: vault.read(secret/data/shop/api/database)'), unhealthy('Task not running by healthy_deadline of 3m0s')]) } }))!;
    expect(vault).toMatchObject({ kind: 'template', cause: { type: 'Template', message: 'Missing: vault.read(secret/data/shop/api/database)' } });
    expect(vault.consequences).toMatchObject([{ type: 'Alloc Unhealthy', message: 'Task not running by healthy_deadline of 3m0s' }]);
    const consul = findRootCause(anAllocation({ TaskStates: { api: aTaskState([ev('Template', 'Missing: kv.block(shop/api/log_level)')]) } }))!;
    expect(consul).toMatchObject({ kind: 'template', cause: { message: 'Missing: kv.block(shop/api/log_level)' } });
  });

  it('gives the exit code of a crash loop as the cause of the spent restart policy', () => {
    const alloc = failed([started(), terminated(2), restarting(), started(), terminated(2), restarting(), started(), terminated(2), notRestarting(EXHAUSTED), unhealthy('Unhealthy because of failed task')]);
    const root = findRootCause(alloc)!;
    expect(root).toMatchObject({ kind: 'restarts-exhausted', cause: { type: 'Terminated', message: 'Exit Code: 2', details: { exit_code: '2' } } });
    expect(root.consequences.map((e) => e.type)).toEqual(['Not Restarting', 'Alloc Unhealthy']);
  });

  it('recognises an OOM kill by oom_killed', () => {
    const root = findRootCause(failed([started(), terminated(137, 'OOM Killed'), notRestarting('Policy allows no restarts')]))!;
    expect(root).toMatchObject({ kind: 'oom', cause: { message: 'Exit Code: 137, Exit Message: "OOM Killed"', details: { oom_killed: 'true', exit_code: '137' } } });
  });

  it('falls back to the health verdict when only the checks failed', () => {
    const root = findRootCause(anAllocation({ ClientStatus: 'running', TaskStates: { api: aTaskState([received(), setup(), started(), unhealthy('Services not healthy by deadline: api')], { State: 'running' }) } }))!;
    expect(root).toMatchObject({ kind: 'unhealthy', cause: { type: 'Alloc Unhealthy', message: 'Services not healthy by deadline: api' }, consequences: [] });
  });

  it('recognises setup, artifact and Vault failures by their event types and fields', () => {
    const setupFailure = ev('Setup Failure', 'failed to setup alloc: pre-run hook "network" failed: no free port', {
      KillReason: 'Failed Restoring Task', FailsTask: true, Details: { kill_reason: 'Failed Restoring Task', fails_task: 'true' },
    });
    expect(findRootCause(failed([received(), setupFailure]))).toMatchObject({ kind: 'setup', cause: { type: 'Setup Failure' } });
    const download = 'failed to download artifact "https://example.com/api.tar.gz": bad response code: 404';
    const artifact = ev('Failed Artifact Download', download, { DownloadError: download, Details: { download_error: download } });
    expect(findRootCause(failed([received(), setup(), artifact, restarting(), notRestarting(EXHAUSTED)]))).toMatchObject({ kind: 'artifact', cause: { message: download } });
    const vault = ev('Killing', 'Vault: failed to derive vault token: permission denied', { FailsTask: true, Details: { fails_task: 'true' } });
    expect(findRootCause(failed([received(), setup(), vault, ev('Killed', 'Task successfully killed')]))).toMatchObject({ kind: 'vault', cause: { type: 'Killing' } });
    const template = ev('Killing', 'Template failed: vault.read(secret/data/x): Code: 403', { FailsTask: true, Details: { fails_task: 'true' } });
    expect(findRootCause(failed([template]))?.kind).toBe('template');
  });

  it('blames the failed task, not the sibling Nomad killed because of it', () => {
    const api = aTaskState([received(), driverFailure(MISSING_BINARY), notRestarting('Error was unrecoverable')], { State: 'dead', Failed: true });
    const sibling = ev('Sibling Task Failed', 'Task\'s sibling "api" failed', { Details: { failed_sibling: 'api' } });
    const sidecar = aTaskState([ev('Started', 'Task started by client', { Time: '1600000000000000000' }), sibling, ev('Killing', 'Sent interrupt. Waiting 5s before force killing'), terminated(143), ev('Killed', 'Task successfully killed')]);
    const root = findRootCause(anAllocation({ ClientStatus: 'failed', TaskStates: { sidecar, api } }))!;
    expect(root.cause).toMatchObject({ task: 'api', type: 'Driver Failure' });
    expect(root.consequences.map((e) => e.type)).toEqual(['Not Restarting', 'Sibling Task Failed']);
  });

  it('skips failures a later start overcame, and exits Nomad asked for', () => {
    const pull = 'Failed to pull `api:1`: i/o timeout';
    const root = findRootCause(failed([driverFailure(pull), restarting(), started(), terminated(1), notRestarting(EXHAUSTED)]))!;
    expect(root.cause).toMatchObject({ type: 'Terminated', message: 'Exit Code: 1' });
    const stopped = anAllocation({ TaskStates: { api: aTaskState([started(), ev('Killing', 'Sent interrupt. Waiting 5s before force killing'), terminated(143), ev('Killed', 'Task successfully killed')]) } });
    expect(findRootCause(stopped)).toBeUndefined();
  });
});

describe('classifyAllocationFailure', () => {
  it('heads the failure with the root cause and keeps the consequences', () => {
    const alloc = failed([received(), setup(), driverFailure(MISSING_BINARY), notRestarting('Error was unrecoverable'), unhealthy('Unhealthy because of failed task')]);
    const failure = classifyAllocationFailure(alloc)!;
    expect(failure).toMatchObject({ kind: 'driver', eventType: 'Driver Failure', message: MISSING_BINARY, details: { driver_error: MISSING_BINARY } });
    expect(summarizeFailure(failure)).toBe(`Driver Failure: ${MISSING_BINARY} → Not Restarting: Error was unrecoverable → Alloc Unhealthy: Unhealthy because of failed task`);
  });

  it('decides a crash loop failed only once the restart policy is spent', () => {
    expect(classifyAllocationFailure(anAllocation({ ClientStatus: 'pending', TaskStates: { api: aTaskState([started(), terminated(2), restarting()]) } }))).toBeUndefined();
    const failure = classifyAllocationFailure(failed([started(), terminated(2), restarting(), started(), terminated(2), notRestarting(EXHAUSTED)]))!;
    expect(failure).toMatchObject({ kind: 'restarts-exhausted', eventType: 'Terminated', message: 'Exit Code: 2', details: { exit_code: '2' } });
    expect(failure.consequences).toEqual([{ task: 'api', type: 'Not Restarting', message: EXHAUSTED }]);
  });

  it('does not fail an allocation that is only unhealthy (Nomad may still replace it)', () => {
    const alloc = anAllocation({ ClientStatus: 'running', TaskStates: { api: aTaskState([started(), unhealthy('Services not healthy by deadline: api')], { State: 'running' }) } });
    expect(classifyAllocationFailure(alloc)).toBeUndefined();
  });
});
