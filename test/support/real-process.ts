/**
 * Running real server binaries (nomad, bao, fabio, prometheus) from this process's PATH for the
 * integration tests: finding them, skipping loudly without them, keeping their output for
 * assertions and failure messages, and stopping them and everything they started.
 * These binaries are never part of the repository; CI has none, so its suites skip.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { killTasksUnder, unmountUnder } from '../../src/cli/up/stop.ts';
import { stopChild } from '../../src/sandbox/local-process.ts';

/** `name` on this process's PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The binaries a suite needs that are not on PATH; prints the loud skip warning when any is missing. */
export function missingBinaries(suite: string, names: readonly string[], extra: readonly string[] = []): string[] {
  const missing = [...names.filter((name) => !findOnPath(name)), ...extra];
  if (missing.length > 0) {
    console.warn(`\n!!!!!!!!!! SKIPPED: ${suite} — not on PATH: ${missing.join(', ')}; drover was NOT checked against the real servers !!!!!!!!!!\n`);
  }
  return missing;
}

/** A real server process with its output kept in memory. */
export interface RealProcess {
  readonly name: string;
  readonly pid: number;
  /** stdout and stderr so far (the last 4 MB). */
  output(): string;
  /** Whether it has exited (then `output()` says why). */
  exited(): boolean;
  /** SIGTERM, SIGKILL after 5 s; then removes `dir`, after killing what it left running there. */
  stop(): Promise<void>;
}

const KEEP_OUTPUT = 4 * 1024 * 1024;

/** Spawns `binary args` with piped output; `dir` is the process's own temp dir, removed on stop. */
export function spawnReal(name: string, binary: string, args: readonly string[], options: { readonly dir: string; readonly env?: NodeJS.ProcessEnv }): RealProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > KEEP_OUTPUT) output = output.slice(-KEEP_OUTPUT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
  if (child.pid === undefined) throw new Error(`could not spawn ${binary}`);
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid,
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () =>
      (stopping ??= (async () => {
        await stopChild(child, options.dir);
        const leftovers = killTasksUnder(options.dir);
        if (leftovers.length > 0) console.warn(`${name} left ${leftovers.length} processes running; killed pids ${leftovers.join(', ')}`);
        // Nomad mounts a tmpfs for each task's secrets/ and private/ as root; they outlive it, and
        // removing the folder fails with EBUSY until they are unmounted (what drover down does).
        const stuck = await unmountUnder(options.dir);
        if (stuck.length > 0) console.warn(`${name}: could not unmount ${stuck.join(', ')}`);
        rmSync(options.dir, { recursive: true, force: true });
      })()),
  };
}

/**
 * Polls `probe` every 200 ms until it answers a value other than undefined; fails with the
 * process's last output when it exits or the time runs out.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: { readonly timeoutMs: number; readonly process?: RealProcess }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (options.process?.exited()) throw new Error(`${options.process.name} exited while waiting for ${what}:\n${tail(options.process)}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`no ${what} after ${options.timeoutMs} ms${cause}${options.process ? `\n${tail(options.process)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The last lines of a process's output, for error messages. */
export function tail(process: RealProcess, chars = 3000): string {
  return `--- last output of ${process.name} (pid ${process.pid}) ---\n${process.output().slice(-chars)}`;
}
