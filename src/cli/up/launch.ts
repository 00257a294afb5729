/**
 * Starting a server for `drover up`: detached (it outlives `up`, in its own process group, so a
 * Ctrl-C in the shell does not reach it), output into a log file, and waiting for it to be ready
 * with a deadline and an error that names the log.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DroverError, ExitCode, InterruptedError } from '../../errors.ts';
import { processStatus, type UpProcess } from './state.ts';

/** drover's own entry point: what `up` starts of drover itself (the sandbox, consul-sd) runs from the same drover. */
export const DROVER_BIN = fileURLToPath(new URL('../../../bin/drover.mjs', import.meta.url));

export interface LaunchOptions {
  readonly log: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Spawns `binary args` detached with stdout and stderr into `options.log` (truncated); returns the record `down` needs. */
export function launchDetached(name: string, binary: string, args: readonly string[], options: LaunchOptions): UpProcess {
  const fd = openSync(options.log, 'w', 0o600);
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], cwd: options.cwd, env: options.env });
    // A spawn failure (the binary vanished since it was found) is reported by the readiness wait: the pid is gone.
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new DroverError(`Could not start ${name} (${binary})`, ExitCode.unreachable, { hint: `See ${options.log}.` });
    return { name, pid: child.pid, binary, args: [...args], log: options.log };
  } finally {
    closeSync(fd);
  }
}

/**
 * Polls `probe` every 250 ms until it answers a value other than undefined. Fails when the process
 * exits or `timeoutMs` passes, with the last lines of its log and where the whole log is; stops
 * at once when `signal` is aborted (Ctrl-C: the servers run in their own session and do not get it).
 */
export async function waitReady<T>(what: string, process: UpProcess, probe: () => Promise<T | undefined>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    if (signal?.aborted) throw new InterruptedError('drover up stopped what it had started; run `drover up` again.');
    if (processStatus(process) !== 'running') throw notReady(`${process.name} exited before ${what}`, process);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline) throw notReady(`No ${what} within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}`, process);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function notReady(message: string, process: UpProcess): DroverError {
  return new DroverError(message, ExitCode.unreachable, {
    context: { process: `${process.name} (pid ${process.pid})`, log: process.log, 'last lines': `\n${logTail(process.log, 12)}` },
    hint: `Read ${process.log}; \`drover up\` stopped what it had started. Fix the cause and run \`drover up\` again.`,
  });
}

/** The last `lines` lines of a log file, indented, or a note that it is empty. */
export function logTail(file: string, lines: number): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '      (no log)';
  }
  const last = text.trimEnd().split('\n').slice(-lines);
  return last.length && last[0] ? last.map((l) => `      ${l.slice(0, 300)}`).join('\n') : '      (empty)';
}

/** GET `url` and parse JSON; throws on a non-2xx answer. */
export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

/** Sends JSON with an optional header set; throws on a non-2xx answer; returns the parsed body (or undefined). */
export async function sendJson(method: string, url: string, body?: unknown, headers: Readonly<Record<string, string>> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  // The path only: the URL carries no token, the headers (which may) are never part of a message.
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname}: ${response.status} ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}
