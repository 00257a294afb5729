import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deployCommand } from '../../src/cli/commands/deploy.ts';
import { DroverError, ExitCode } from '../../src/errors.ts';
import { formatError } from '../../src/report/error.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import { createStyle } from '../../src/report/style.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import type { NomadEvaluation, NomadJobRead } from '../../src/wire/nomad-api.ts';
import type { CliResult } from './run-cli.ts';
import { nomadGet } from './sandbox.ts';

export interface LiveDeployOptions {
  readonly cwd: string;
  /** Called with each event as the engine reports it, before the deploy goes on. */
  readonly onEvent?: (event: DeployEvent) => void;
  /** Consul address other than the sandbox's (a real agent). */
  readonly consul?: string;
  /** VAULT_TOKEN for the secrets preflight (see seed-vault.ts); jobs without secrets need none. */
  readonly vaultToken?: string;
  readonly signal?: AbortSignal;
}

/**
 * Runs `drover deploy` in-process like `runAgainst`, but hands each event to `onEvent` the moment
 * it happens, so a test can act mid-deploy (cut the event stream, register a rival version).
 * Errors become exit codes and messages exactly as `cli/main.ts` does it.
 */
export async function deployLive(sandbox: RunningSandbox, argv: readonly string[], options: LiveDeployOptions): Promise<CliResult & { events: DeployEvent[] }> {
  const events: DeployEvent[] = [];
  let stdout = '';
  let stderr = '';
  const consul = options.consul ?? sandbox.addresses.consul;
  const io = {
    cwd: options.cwd,
    env: {
      NO_COLOR: '1',
      CI: 'true',
      NOMAD_ADDR: sandbox.addresses.nomad,
      CONSUL_HTTP_ADDR: consul,
      VAULT_ADDR: sandbox.addresses.vault,
      ...(options.vaultToken ? { VAULT_TOKEN: options.vaultToken } : {}),
    },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const style = createStyle(false);
  const onEvent = (event: DeployEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  let code: number;
  try {
    code = await deployCommand([...argv, '--output', 'ndjson'], io, style, { onEvent, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    stderr += formatError(error, style);
    code = error instanceof DroverError ? error.exitCode : ExitCode.internal;
  }
  return { code, stdout, stderr, events };
}

/** What the sandbox recorded as registrations of a job: its versions, and evaluations a register triggered. */
export interface Registrations {
  readonly versions: number;
  readonly registerEvaluations: number;
}

export async function registrationsOf(sandbox: RunningSandbox, jobId: string): Promise<Registrations> {
  const { Versions } = await nomadGet<{ Versions: NomadJobRead[] }>(sandbox, `/v1/job/${jobId}/versions`).catch(() => ({ Versions: [] }));
  const evaluations = await nomadGet<NomadEvaluation[]>(sandbox, `/v1/job/${jobId}/evaluations`).catch(() => []);
  return { versions: Versions.length, registerEvaluations: evaluations.filter((e) => e.TriggeredBy === 'job-register').length };
}

/** Jobs named in `job-registered` events, with how often each was registered. */
export function registeredCounts(events: readonly DeployEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) if (e.type === 'job-registered') counts.set(e.job, (counts.get(e.job) ?? 0) + 1);
  return counts;
}

/** Rewrites one job's image tag in a project copy, which makes a new job version. */
export async function setImageTag(projectDir: string, jobId: string, tag: string): Promise<void> {
  const file = join(projectDir, `jobs/${jobId}.ts`);
  const text = await readFile(file, 'utf8');
  const image = new RegExp(`(example-shop/${jobId}:)[^']+'`);
  if (!image.test(text)) throw new Error(`no example-shop/${jobId} image in ${file}`);
  await writeFile(file, text.replace(image, `$1${tag}'`));
}
