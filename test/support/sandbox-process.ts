import { spawn } from 'node:child_process';
import { repoRoot } from './run-cli.ts';

/** `drover sandbox` running as a real process, after it printed its exports and closed stdout. */
export interface SandboxProcess {
  /** The variables of its `export` lines; those of its `unset` lines as "" (drover reads "" as unset). */
  readonly exports: Readonly<Record<string, string>>;
  /** The raw stdout: only `export` / `unset` lines. */
  readonly stdout: string;
  stderr(): string;
  /** SIGTERM, then resolves with its exit code once it is gone. */
  stop(): Promise<number | null>;
}

/** Variables a sandbox's exports must not be mixed with: anything from the shell running the tests. */
const INHERITED = /^(NOMAD_|CONSUL_|VAULT_|DROVER_)/;

/** The test runner's environment without drover's and HashiCorp's variables, colour off, CI on. */
export function cleanEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !INHERITED.test(e[0])).concat([['NO_COLOR', '1'], ['CI', 'true']]));
}

/**
 * Spawns `node bin/drover.mjs sandbox <argv>` in `cwd` and resolves once its stdout closed — which
 * `drover sandbox` does right after printing its exports, so `eval "$(drover sandbox &)"` returns.
 */
export function startSandboxProcess(argv: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [`${repoRoot}bin/drover.mjs`, 'sandbox', ...argv], { cwd: options.cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`drover sandbox printed no exports in time:\n${stderr}`))), options.timeoutMs ?? 30_000);
    child.stdout.once('end', () => {
      clearTimeout(timer);
      if (!stdout.trim()) return void exited.then((code) => reject(new Error(`drover sandbox exited ${code} without exports:\n${stderr}`)));
      resolve({ exports: parseExports(stdout), stdout, stderr: () => stderr, stop });
    });
  });
}

/** `export A=b` → A: "b"; `unset A` → A: "". Any other line is an error: stdout is for the shell. */
export function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const exported = /^export ([A-Z_]+)=(\S+)$/.exec(line);
    const unset = /^unset ([A-Z_]+)$/.exec(line);
    if (exported) vars[exported[1]!] = exported[2]!;
    else if (unset) vars[unset[1]!] = '';
    else throw new Error(`not a shell export: ${JSON.stringify(line)}`);
  }
  return vars;
}

/** Runs `node bin/drover.mjs <argv>` with the clean environment plus `vars`; how long it took, too. */
export function runDrover(argv: readonly string[], options: { cwd: string; vars: Readonly<Record<string, string>>; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [`${repoRoot}bin/drover.mjs`, ...argv], { cwd: options.cwd, env: { ...cleanEnv(), ...options.vars }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 45_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** NDJSON events of a `--output ndjson` run. */
export function ndjson(stdout: string): { type: string; [key: string]: unknown }[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string });
}
