/**
 * What `drover up` started, written to `<project>/.drover/up/<env>/state.json` as it starts each
 * process (one local cluster per environment, so QA and prod can run side by side as they do for
 * real), so that `drover down` stops exactly those (by pid, after checking that the pid is still
 * the process `up` started: its command line is the one recorded) and removes their data.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DroverError, ExitCode } from '../../errors.ts';

/** One process `up` started, detached: its pid and the exact command line it was given. */
export interface UpProcess {
  readonly name: string;
  readonly pid: number;
  /** argv[0] as spawned: the binary's absolute path. */
  readonly binary: string;
  readonly args: readonly string[];
  /** Its stdout and stderr. */
  readonly log: string;
}

/** The state file. `kind: 'sandbox'` when the binaries were missing and the simulator runs instead. */
export interface UpState {
  readonly format: typeof STATE_FORMAT;
  readonly kind: 'real' | 'sandbox';
  readonly env: string;
  /** The folder holding the state file, the logs and (removed by `down`) `data/`. */
  readonly dir: string;
  /** In start order; `down` stops them in reverse. */
  readonly processes: readonly UpProcess[];
  /** Folders `down` removes once the processes are gone. */
  readonly dataDirs: readonly string[];
  /** The folder whose leftover task processes (raw_exec tasks, executors) `down` kills after Nomad: its data dir. */
  readonly tasksUnder?: string;
  /** The exports `up` printed (the deployer token, never the root token): printed again when `up` finds itself running. */
  readonly exports: string;
  /** When `up` began starting it (ISO 8601): `down` stops the newest first. Absent in states written before it was recorded. */
  readonly startedAt?: string;
  /**
   * The Nomad client's dynamic port range. Two local clusters on one host each hand out ports
   * without seeing the other's tasks, so each takes its own range (Nomad's default, 20000-32000,
   * when absent: a state written before ranges were recorded).
   */
  readonly dynamicPorts?: DynamicPortRange;
}

export interface DynamicPortRange {
  readonly min: number;
  readonly max: number;
}

export const STATE_FORMAT = 'drover.up/v1';

/** `<root>/.drover/up`: the folder holding every local cluster of a project. */
export function upRoot(root: string): string {
  return join(root, '.drover', 'up');
}

/** `<root>/.drover/up/<env>`: the state folder of a project's local cluster for `env`. */
export function upDir(root: string, env: string): string {
  return join(upRoot(root), env);
}

/**
 * The state of every local cluster of the project, by environment name. A state left in `.drover/up/state.json` by a drover that kept one cluster per project
 * is included, so `drover down` still stops it.
 */
export function readUpStates(root: string): UpState[] {
  const base = upRoot(root);
  let names: string[];
  try {
    names = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'logs').map((e) => e.name).sort();
  } catch {
    return [];
  }
  return [readUpState(base), ...names.map((name) => readUpState(join(base, name)))].filter((s): s is UpState => s !== undefined);
}

/**
 * The order `drover down` stops local clusters in: the newest first (prod, which reads its
 * releases from qa's, before qa); states without a start time count as the oldest. Pure.
 */
export function newestFirst(states: readonly UpState[]): UpState[] {
  return [...states].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
}

/** The slices of Nomad's dynamic port range local clusters take, 2000 ports each. */
const DYNAMIC_PORTS = { min: 20000, max: 31999, slice: 2000 } as const;

/** What a Nomad client hands out without min/max_dynamic_port: a local cluster recorded before ranges were. */
const NOMAD_DEFAULT_DYNAMIC_PORTS: DynamicPortRange = { min: 20000, max: 32000 };

/**
 * The first slice of Nomad's dynamic port range that no other running local cluster's range
 * overlaps; a cluster recorded without a range (`undefined`) uses Nomad's whole default range, so
 * none is left beside it. Pure. Undefined when every slice is taken.
 */
export function pickDynamicPorts(others: readonly (DynamicPortRange | undefined)[]): DynamicPortRange | undefined {
  const taken = others.map((o) => o ?? NOMAD_DEFAULT_DYNAMIC_PORTS);
  for (let min: number = DYNAMIC_PORTS.min; min + DYNAMIC_PORTS.slice - 1 <= DYNAMIC_PORTS.max; min += DYNAMIC_PORTS.slice) {
    const range = { min, max: min + DYNAMIC_PORTS.slice - 1 };
    if (!taken.some((o) => o.min <= range.max && range.min <= o.max)) return range;
  }
  return undefined;
}

export function statePath(dir: string): string {
  return join(dir, 'state.json');
}

/** Parses a state file; a file that is not one is an error naming it, with what to do. */
export function parseUpState(text: string, file: string): UpState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, (error as Error).message);
  }
  if (!isUpState(value)) throw corrupt(file, `not a ${STATE_FORMAT} state`);
  return value;
}

function isUpState(value: unknown): value is UpState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const processes = v['processes'];
  return v['format'] === STATE_FORMAT && (v['kind'] === 'real' || v['kind'] === 'sandbox') && typeof v['env'] === 'string' && typeof v['dir'] === 'string' &&
    Array.isArray(processes) && processes.every(isUpProcess) && Array.isArray(v['dataDirs']) && v['dataDirs'].every((d) => typeof d === 'string') && typeof v['exports'] === 'string' &&
    (v['dynamicPorts'] === undefined || isRange(v['dynamicPorts'])) && (v['startedAt'] === undefined || typeof v['startedAt'] === 'string');
}

function isRange(value: unknown): value is DynamicPortRange {
  const r = value as Record<string, unknown> | null;
  return typeof r === 'object' && r !== null && Number.isInteger(r['min']) && Number.isInteger(r['max']) && (r['min'] as number) <= (r['max'] as number);
}

function isUpProcess(value: unknown): value is UpProcess {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p['name'] === 'string' && Number.isInteger(p['pid']) && (p['pid'] as number) > 0 && typeof p['binary'] === 'string' &&
    Array.isArray(p['args']) && p['args'].every((a) => typeof a === 'string') && typeof p['log'] === 'string';
}

function corrupt(file: string, why: string): DroverError {
  return new DroverError(`Cannot read ${file}: ${why}`, ExitCode.usage, { hint: `It is drover up's state. If nothing of drover up runs any more, delete ${file} and run \`drover up\` again.` });
}

/** The state of `dir`, or undefined when `up` has nothing running there. */
export function readUpState(dir: string): UpState | undefined {
  const file = statePath(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseUpState(text, file);
}

/** Writes the state atomically (rename), readable by the owner only. */
export function writeUpState(state: UpState): void {
  mkdirSync(state.dir, { recursive: true });
  const file = statePath(state.dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export function removeUpState(dir: string): void {
  rmSync(statePath(dir), { force: true });
}

/**
 * Whether a process's command line (NUL-separated, as /proc/<pid>/cmdline has it) is the one `up`
 * started. Pure. A pid the system gave to another program since, or a zombie (empty command line),
 * is not.
 */
export function isSameCommandLine(cmdline: string, process: Pick<UpProcess, 'binary' | 'args'>): boolean {
  const argv = cmdline.split('\0');
  if (argv.at(-1) === '') argv.pop();
  const expected = [process.binary, ...process.args];
  return argv.length === expected.length && argv.every((arg, i) => arg === expected[i]);
}

/** Whether a process `up` recorded still runs as that process: `running`, `gone`, or `other` (the pid now belongs to another program). */
export function processStatus(process: UpProcess): 'running' | 'gone' | 'other' {
  const cmdline = commandLineOf(process.pid);
  if (cmdline === undefined || cmdline === '') return 'gone';
  return isSameCommandLine(cmdline, process) ? 'running' : 'other';
}

/** /proc/<pid>/cmdline on Linux; elsewhere `ps`, whose space-joined output is compared as one argument list. */
function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsProc()) return undefined;
  }
  try {
    const line = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return line ? line.split(' ').join('\0') : undefined;
  } catch {
    return undefined;
  }
}

function existsProc(): boolean {
  try {
    readFileSync('/proc/self/cmdline');
    return true;
  } catch {
    return false;
  }
}
