/**
 * Stopping what `drover up` started: by pid, only while the pid is still that process, SIGTERM
 * then SIGKILL; and the task processes Nomad left behind in its own data dir.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { processStatus, type UpProcess } from './state.ts';

/** What happened to one recorded process. */
export type StopOutcome = 'stopped' | 'killed' | 'gone' | 'other';

/**
 * Stops `process` if it still is the one `up` started: SIGTERM, SIGKILL after `graceMs`.
 * `gone` when it had already exited, `other` when its pid now belongs to another program (left alone).
 */
export async function stopUpProcess(process: UpProcess, graceMs: number): Promise<StopOutcome> {
  const status = processStatus(process);
  if (status !== 'running') return status;
  signal(process.pid, 'SIGTERM');
  if (await exited(process, graceMs)) return 'stopped';
  signal(process.pid, 'SIGKILL');
  await exited(process, 5000);
  return 'killed';
}

async function exited(process: UpProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processStatus(process) !== 'running') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return processStatus(process) !== 'running';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    globalThis.process.kill(pid, name);
  } catch {
    // Exited in between.
  }
}

/**
 * Kills what a Nomad agent left running from its data dir `dir` (raw_exec tasks, executors,
 * logmons survive the agent, which expects to reattach to them): processes whose command line,
 * working directory or open files lie in it, or whose `NOMAD_ALLOC_DIR` does. Linux only (/proc);
 * returns the pids killed.
 */
export function killTasksUnder(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const pid of entries.map(Number).filter((pid) => pid !== globalThis.process.pid)) {
    if (!isUnder(pid, dir)) continue;
    try {
      globalThis.process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // Already gone.
    }
  }
  return killed;
}

function isUnder(pid: number, dir: string): boolean {
  const inside = (path: string) => path === dir || path.startsWith(`${dir}/`);
  return readProc(pid, 'cmdline').split('\0').some((arg) => arg.includes(dir)) ||
    readProc(pid, 'environ').split('\0').some((v) => v.startsWith('NOMAD_ALLOC_DIR=') && inside(v.slice('NOMAD_ALLOC_DIR='.length))) ||
    [link(pid, 'cwd'), ...openFiles(pid)].some(inside);
}

function link(pid: number, file: string): string {
  try {
    return readlinkSync(`/proc/${pid}/${file}`);
  } catch {
    return '';
  }
}

function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).map((fd) => link(pid, `fd/${fd}`));
  } catch {
    return [];
  }
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return '';
  }
}

/**
 * Mount points under `dir`, deepest first, from a mount table (/proc/self/mounts' text). Pure.
 * Nomad running as root mounts a tmpfs on each task's `secrets/` and `private/`; they outlive it.
 */
export function mountsUnder(mountTable: string, dir: string): string[] {
  const points = mountTable.split('\n').map((line) => line.split(' ')[1] ?? '')
    // The table escapes spaces and tabs as octal (\040).
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
    .filter((point) => point.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * Unmounts what Nomad left mounted under `dir` (Linux; nothing elsewhere); returns the mount points it
 * could not unmount. zx runs umount: it quotes each path (mount points may hold spaces) and keeps
 * the exit code without throwing; `drover down` is no hot path, so loading zx costs nothing that matters.
 */
export async function unmountUnder(dir: string): Promise<string[]> {
  let table: string;
  try {
    table = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const failed: string[] = [];
  const { $ } = await import('zx');
  const sh = $({ quiet: true, nothrow: true });
  for (const point of mountsUnder(table, dir)) {
    const result = await sh`umount ${point}`;
    if (result.exitCode !== 0) failed.push(point);
  }
  return failed;
}
