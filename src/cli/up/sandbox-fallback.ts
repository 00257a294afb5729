/**
 * `drover up` without the binaries: `drover sandbox --env <env>` as a detached process of its
 * own (the simulator: nothing runs), recorded like the real servers so that `drover down` stops it.
 * Its banner and exports are the sandbox's own, read from its log (stdout and stderr).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DROVER_BIN, launchDetached, waitReady } from './launch.ts';
import { STATE_FORMAT, writeUpState, type UpState } from './state.ts';
import { stopAll } from './teardown.ts';

export interface SandboxUpInput {
  readonly dir: string;
  readonly env: string;
  /** `--project` / `--environments` as given to `up`, passed on. */
  readonly projectArgs: readonly string[];
  readonly cwd: string;
  readonly processEnv: NodeJS.ProcessEnv;
  /** @default 60000 */
  readonly readyTimeoutMs?: number;
  /** Aborted on Ctrl-C: the sandbox is stopped. */
  readonly signal?: AbortSignal;
}

export interface SandboxUp {
  readonly state: UpState;
  /** What the sandbox wrote on stderr before its exports: its banner. */
  readonly banner: string;
}

export async function startSandboxFallback(input: SandboxUpInput): Promise<SandboxUp> {
  const { dir } = input;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const log = join(dir, 'logs', 'sandbox.log');
  const args = [DROVER_BIN, 'sandbox', '--env', input.env, ...input.projectArgs];
  const sandbox = launchDetached('sandbox', process.execPath, args, { log, cwd: input.cwd, env: input.processEnv });
  const state: UpState = { format: STATE_FORMAT, kind: 'sandbox', env: input.env, dir, processes: [sandbox], dataDirs: [], exports: '', startedAt: new Date().toISOString() };
  writeUpState(state);
  try {
    // The sandbox writes its banner (stderr), then its exports in one write (stdout): both into the log.
    const text = await waitReady('sandbox exports', sandbox, async () => {
      const written = readFileSync(log, 'utf8');
      return /^export VAULT_TOKEN=/m.test(written) && written.endsWith('\n') ? written : undefined;
    }, input.readyTimeoutMs ?? 60_000, input.signal);
    const { banner, exports } = splitOutput(text);
    const ready: UpState = { ...state, exports };
    writeUpState(ready);
    return { state: ready, banner };
  } catch (error) {
    await stopAll(state, () => undefined);
    throw error;
  }
}

/** The sandbox's output in one file: the `export`/`unset` lines are the exports, the rest its banner. */
export function splitOutput(text: string): { banner: string; exports: string } {
  const lines = text.split('\n');
  const isExport = (line: string) => /^(export [A-Z_]+=\S*|unset [A-Z_]+)$/.test(line);
  return {
    banner: lines.filter((l) => !isExport(l)).join('\n').replace(/\n+$/, '\n'),
    exports: `${lines.filter(isExport).join('\n')}\n`,
  };
}
