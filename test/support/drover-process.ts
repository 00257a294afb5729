import { spawn } from 'node:child_process';
import type { DeployEvent } from '../../src/report/events.ts';
import { repoRoot } from './run-cli.ts';

/** How a spawned drover ended. */
export interface DroverExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `bin/drover.mjs` running as a real process, its NDJSON events parsed as they arrive. */
export interface DroverProcess {
  readonly pid: number;
  /** Events printed so far (`--output ndjson`). */
  readonly events: readonly DeployEvent[];
  /** Resolves with the first event (already printed or still to come) that matches. */
  waitFor(match: (event: DeployEvent) => boolean, timeoutMs?: number): Promise<DeployEvent>;
  readonly exited: Promise<DroverExit>;
  /** Sends `signal` (no cleanup runs on SIGKILL) and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<DroverExit>;
}

/**
 * Spawns `drover <argv> --output ndjson` the way users run it, so a test can kill it mid-deploy.
 * `env` is added to this process's environment with colour off and CI on.
 */
export function spawnDrover(argv: readonly string[], options: { cwd: string; env: Record<string, string> }): DroverProcess {
  const child = spawn(process.execPath, [`${repoRoot}bin/drover.mjs`, ...argv, '--output', 'ndjson'], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn bin/drover.mjs');
  const events: DeployEvent[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as DeployEvent);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<DroverExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  void exited.then(() => waiters.forEach((wake) => wake()));

  const waitFor = (match: (event: DeployEvent) => boolean, timeoutMs = 20_000) =>
    new Promise<DeployEvent>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (!found && child.exitCode === null && child.signalCode === null) return;
        waiters.delete(check);
        clearTimeout(timer);
        if (found) resolve(found);
        else reject(new Error(`drover exited (${child.exitCode ?? child.signalCode}) before the awaited event:\n${stderr}`));
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching drover event after ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}\n${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    pid: child.pid,
    events,
    waitFor,
    exited,
    kill: (signal) => (child.kill(signal), exited),
  };
}
