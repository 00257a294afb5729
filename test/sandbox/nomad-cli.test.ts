import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.ts';
import { runSandboxCommand } from '../../src/cli/commands/sandbox.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';

function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd: process.cwd(),
    env: {},
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

describe('drover sandbox', () => {
  it('says in --help that it is a simulator for tests and demos, not a scheduler', async () => {
    const io = captureIo();
    expect(await runSandboxCommand(['--help'], io)).toBe(0);
    expect(io.out()).toContain('SIMULATOR');
    expect(io.out()).toContain('for tests and demos');
    expect(io.out()).toContain('NOT a scheduler');
  });

  it('prints the variables to export and serves until stopped (--bare: the simulator without a project)', async () => {
    const io = captureIo();
    const stop = new AbortController();
    let ready: (sandbox: RunningSandbox) => void = () => {};
    const started = new Promise<RunningSandbox>((resolve) => (ready = resolve));
    const running = runSandboxCommand(['--bare', '--nomad-port', '0', '--consul-port', '0', '--vault-port', '0', '--speed', '10', '--namespace', 'shop'], io, undefined, {
      stop: stop.signal,
      onReady: (s) => ready(s),
    });
    const sandbox = await started;
    expect(sandbox.addresses.nomad).toMatch(/^http:/);
    const exports = Object.fromEntries(io.out().trim().split('\n').map((line) => line.replace(/^export /, '').split('=') as [string, string]));
    expect(Object.keys(exports)).toEqual(['NOMAD_ADDR', 'CONSUL_HTTP_ADDR', 'VAULT_ADDR', 'VAULT_TOKEN', 'DROVER_FABIO_ADDR', 'DROVER_FABIO_UI_ADDR']);
    expect(exports.DROVER_FABIO_ADDR).toBe(sandbox.addresses.fabio);
    // The simulated Fabio's UI/API, for drover cluster check's Fabio point.
    expect(exports.DROVER_FABIO_UI_ADDR).toBe(sandbox.addresses.fabioUi);
    expect(exports.NOMAD_ADDR).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(io.err()).toContain('not a scheduler');
    expect(await (await fetch(`${exports.NOMAD_ADDR}/v1/status/leader`)).json()).toBe('127.0.0.1:4647');
    const namespaces = (await (await fetch(`${exports.NOMAD_ADDR}/v1/namespaces`)).json()) as { Name: string }[];
    expect(namespaces.map((n) => n.Name)).toEqual(['default', 'shop']);
    stop.abort();
    expect(await running).toBe(0);
  });

  it('rejects unknown flags as a usage error', async () => {
    await expect(runSandboxCommand(['--bogus'], captureIo())).rejects.toMatchObject({ exitCode: 64 });
  });
});
