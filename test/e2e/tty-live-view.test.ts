import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { useSandboxProject } from '../support/sandbox-project.ts';
import { Terminal } from '../support/terminal.ts';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** `drover deploy` in-process with stderr and stdout on one fake terminal (isTTY, no CI): the live view. */
async function deployOnTerminal(project: ReturnType<typeof useSandboxProject>, argv: string[]) {
  const terminal = new Terminal(100);
  const { sandbox, dir } = project;
  const frames: string[][] = [];
  const write = (t: string) => (terminal.write(t), frames.push(terminal.screen()), true);
  const env = { NO_COLOR: '1', NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.deployerToken, DROVER_FABIO_ADDR: sandbox.addresses.fabio };
  const code = await main(['deploy', 'qa', ...argv], { cwd: dir, env, stdout: { write, isTTY: true }, stderr: { write, isTTY: true } });
  return { code, screen: terminal.screen(), frames };
}

describe('drover deploy on a terminal', { timeout: 60_000 }, () => {
  const project = useSandboxProject('qa');

  it('ends with the summary and no spinner line, having shown each job once per status line', async () => {
    const { code, screen, frames } = await deployOnTerminal(project, ['--job', 'postgres', '--git-sha', '5555555555555555555555555555555555555555']);
    expect(code).toBe(0);
    expect(screen.filter((l) => SPINNER.test(l))).toEqual([]);
    expect(screen.some((l) => /^postgres\s+succeeded/.test(l))).toBe(true);
    const live = frames.flat().filter((l) => SPINNER.test(l));
    expect(live.length).toBeGreaterThan(0);
    expect(live.filter((l) => l.includes('[postgres]'))).toEqual([]);
  });
});
