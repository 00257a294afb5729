/**
 * `drover down`'s work (and `up`'s when it fails half-way): stop every recorded process in reverse
 * start order, kill the tasks Nomad left in its data dir, remove the data, then the state file.
 * The logs stay, for reading after the fact.
 */
import { existsSync, rmSync } from 'node:fs';
import { removeUpState, type UpState } from './state.ts';
import { killTasksUnder, stopUpProcess, unmountUnder, type StopOutcome } from './stop.ts';

/** One line per process, for people. */
export interface StoppedProcess {
  readonly name: string;
  readonly pid: number;
  readonly outcome: StopOutcome;
}

export interface Teardown {
  readonly stopped: readonly StoppedProcess[];
  /** Task processes (raw_exec tasks, executors) killed after Nomad stopped. */
  readonly tasksKilled: readonly number[];
  readonly removed: readonly string[];
  /** Folders that could not be removed, with why (a mount that would not go). */
  readonly leftover: readonly string[];
}

/** Nomad drains nothing on a local agent, but gets time to close its raft log cleanly. */
const GRACE_MS = 15_000;

export async function stopAll(state: UpState, onStopped: (process: StoppedProcess) => void): Promise<Teardown> {
  const stopped: StoppedProcess[] = [];
  for (const process of [...state.processes].reverse()) {
    const outcome = await stopUpProcess(process, GRACE_MS);
    const entry = { name: process.name, pid: process.pid, outcome };
    stopped.push(entry);
    onStopped(entry);
  }
  const tasksKilled = state.tasksUnder ? killTasksUnder(state.tasksUnder) : [];
  const stuck = state.tasksUnder ? await unmountUnder(state.tasksUnder) : [];
  const leftover: string[] = stuck.map((point) => `${point} (still mounted: umount it as root)`);
  const removed: string[] = [];
  for (const dir of state.dataDirs.filter((d) => existsSync(d))) {
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch (error) {
      leftover.push(`${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  removeUpState(state.dir);
  return { stopped, tasksKilled, removed, leftover };
}
