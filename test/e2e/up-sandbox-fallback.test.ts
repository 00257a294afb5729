/**
 * `drover up` on a machine without the servers' binaries (as CI is): it names what is missing,
 * starts `drover sandbox` detached instead, prints the sandbox's exports, prints them again when
 * run a second time, starts another environment's beside it (prod reading its releases from qa's),
 * and `drover down [--env]` stops exactly those processes. Runs the CLI in-process with an empty
 * PATH; the sandboxes are real child processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatus, readUpStates, upDir, type UpState } from '../../src/cli/up/state.ts';
import { runCli } from '../support/run-cli.ts';
import { cleanEnv, parseExports } from '../support/sandbox-process.ts';
import { tempProject } from '../support/temp-project.ts';

describe('drover up without the binaries falls back to the sandbox; drover down stops it', { timeout: 120_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let emptyBin: string;
  let env: Record<string, string>;
  let state: UpState | undefined;
  let prod: UpState | undefined;

  beforeAll(async () => {
    project = await tempProject();
    emptyBin = mkdtempSync(join(tmpdir(), 'drover-empty-path-'));
    env = { ...cleanEnv(), PATH: emptyBin };
  });

  afterAll(async () => {
    // Should the test fail half-way, the sandbox must not outlive it.
    for (const left of readUpStates(project.dir)) for (const p of left.processes) if (processStatus(p) === 'running') process.kill(p.pid, 'SIGKILL');
    rmSync(emptyBin, { recursive: true, force: true });
    await project.cleanup();
  });

  it('says which binaries are missing, starts the sandbox for the environment and prints its exports', async () => {
    const result = await runCli(['up', '--env', 'qa'], { cwd: project.dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/not on PATH: nomad, .*bao \(or vault\), fabio, prometheus — starting the drover sandbox for qa instead/);
    expect(result.stderr).toContain('a SIMULATOR');
    expect(result.stderr).toContain('Stop it with `drover down --env qa`.');
    const vars = parseExports(result.stdout);
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['NOMAD_ADDR', 'CONSUL_HTTP_ADDR', 'VAULT_ADDR', 'VAULT_TOKEN', 'DROVER_FABIO_ADDR', 'DROVER_FABIO_UI_ADDR']));
    // The Fabio UI address is the simulated Fabio's UI, which drover cluster check reads.
    expect(await (await fetch(`${vars['DROVER_FABIO_UI_ADDR']}/health`)).text()).toMatch(/^OK/);
    // The sandbox answers as Nomad, with the environment's namespace.
    const namespaces = (await (await fetch(`${vars['NOMAD_ADDR']}/v1/namespaces`)).json()) as { Name: string }[];
    expect(namespaces.map((n) => n.Name)).toContain('shop');
    state = readUpStates(project.dir).find((s) => s.env === 'qa');
    expect(state).toMatchObject({ kind: 'sandbox', env: 'qa', dir: upDir(project.dir, 'qa'), exports: result.stdout });
    expect(state?.processes.map((p) => [p.name, processStatus(p)])).toEqual([['sandbox', 'running']]);
  });

  it('prints the same exports again while it runs', async () => {
    const again = await runCli(['up', '--env', 'qa'], { cwd: project.dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(state?.exports);
    expect(again.stderr).toContain('already running');
  });

  it('starts prod\'s sandbox beside qa\'s, reading its releases from qa\'s Consul', async () => {
    const result = await runCli(['up', '--env', 'prod'], { cwd: project.dir, env });
    expect(result.code, result.stderr).toBe(0);
    const vars = parseExports(result.stdout);
    const qaVars = parseExports(state?.exports ?? '');
    expect(vars['DROVER_RELEASES_CONSUL_HTTP_ADDR']).toBe(qaVars['CONSUL_HTTP_ADDR']);
    expect(vars['NOMAD_ADDR']).not.toBe(qaVars['NOMAD_ADDR']);
    // Two simulators, both answering.
    for (const address of [qaVars['NOMAD_ADDR'], vars['NOMAD_ADDR']]) expect((await fetch(`${address}/v1/namespaces`)).status).toBe(200);
    prod = readUpStates(project.dir).find((s) => s.env === 'prod');
    expect(prod).toMatchObject({ kind: 'sandbox', env: 'prod', dir: upDir(project.dir, 'prod'), exports: result.stdout });
    expect(prod?.processes[0]?.pid).not.toBe(state?.processes[0]?.pid);
    expect(readUpStates(project.dir).map((s) => s.env)).toEqual(['prod', 'qa']);
  });

  it('drover down --env prod stops prod\'s sandbox only', async () => {
    const down = await runCli(['down', '--env', 'prod'], { cwd: project.dir, env });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(new RegExp(`sandbox +pid ${prod?.processes[0]?.pid} +stopped`));
    expect(down.stderr).not.toContain(`pid ${state?.processes[0]?.pid}`);
    expect(processStatus(prod!.processes[0]!)).toBe('gone');
    expect(processStatus(state!.processes[0]!)).toBe('running');
    expect(readUpStates(project.dir).map((s) => s.env)).toEqual(['qa']);
  });


  it('drover down stops that process by pid and removes the state; a second down has nothing to stop', async () => {
    const sandbox = state?.processes[0];
    expect(sandbox).toBeDefined();
    const down = await runCli(['down'], { cwd: project.dir, env });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(new RegExp(`sandbox +pid ${sandbox?.pid} +stopped`));
    expect(processStatus(sandbox!)).toBe('gone');
    expect(readUpStates(project.dir)).toEqual([]);
    await expect(fetch(`${parseExports(state?.exports ?? '')['NOMAD_ADDR']}/v1/namespaces`)).rejects.toThrow();
    const again = await runCli(['down'], { cwd: project.dir, env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Nothing to stop');
  });
});
