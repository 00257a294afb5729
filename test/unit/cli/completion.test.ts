import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionSpec } from '../../../src/cli/commands/completion.ts';
import { completionScript, SHELLS } from '../../../src/cli/completion-scripts.ts';
import { COMMANDS } from '../../../src/cli/main.ts';
import { runCli } from '../../support/run-cli.ts';

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const spec = completionSpec();

/** A project directory with environments/alpha.ts, beta.ts and index.ts (not an environment). */
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'drover-completion-'));
  await mkdir(join(project, 'environments'));
  for (const name of ['alpha', 'beta', 'index']) await writeFile(join(project, 'environments', `${name}.ts`), '');
});
afterAll(() => rm(project, { recursive: true, force: true }));

describe('drover completion', () => {
  it('knows every command of the COMMANDS table', () => {
    expect(spec.commands.map((c) => c.name).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it.each(SHELLS)('writes every command and every flag of every command into the %s script', (shell) => {
    const script = completionScript(shell, spec);
    for (const command of spec.commands) {
      expect(script).toMatch(new RegExp(`\\b${command.name}\\b`));
      for (const flag of command.flags) {
        // fish declares flags per command (-l NAME under the command's condition); bash and zsh list --NAME per command.
        const line = shell === 'fish' ? `__fish_seen_subcommand_from ${command.name}' -l ${flag.name}` : `--${flag.name}`;
        const arm = shell === 'fish' ? script : script.split('\n').find((l) => l.startsWith(`    ${command.name}) flags=`)) ?? '';
        expect(arm, `${shell} ${command.name} --${flag.name}`).toContain(line);
      }
    }
  });

  // About a hundred CLI runs in-process: seconds on a loaded machine, hence its own timeout.
  it('offers, for every enumerated flag of every command, exactly the values that command\'s parser accepts', async () => {
    // Every value some command takes, plus one none takes. --project names a folder that does not
    // exist, so each command parses its flags, then stops at opening the project.
    const candidates = ['tty', 'plain', 'ndjson', 'json', 'table', 'stream', 'poll', 'interval', 'xml'];
    const leading: Record<string, string[]> = { release: ['show', 'r1'], secrets: ['check'], cluster: ['check'] };
    const missing = join(project, 'missing');
    for (const command of spec.commands) {
      for (const flag of command.flags.filter((f) => f.value?.kind === 'choice')) {
        const offered = flag.value?.kind === 'choice' ? flag.value.values : [];
        const accepted: string[] = [];
        for (const value of candidates) {
          const result = await runCli([command.name, ...(leading[command.name] ?? []), 'alpha', '--project', missing, `--${flag.name}`, value]);
          const refused = result.code === 64 && result.stderr.includes(`--${flag.name} ${value}`);
          if (!refused) accepted.push(value);
        }
        expect(accepted, `drover ${command.name} --${flag.name}`).toEqual(candidates.filter((v) => offered.includes(v)));
        expect(offered.filter((v) => !candidates.includes(v)), `drover ${command.name} --${flag.name}: values the test does not try`).toEqual([]);
      }
    }
  }, 30_000);

  it('does not offer --output ndjson where the command refuses it', () => {
    const offers = (name: string) => spec.commands.find((c) => c.name === name)?.flags.find((f) => f.name === 'output')?.value;
    for (const name of ['validate', 'jobs', 'loadtest', 'releases', 'cluster']) expect(offers(name), name).not.toMatchObject({ values: expect.arrayContaining(['ndjson']) });
    expect(offers('validate')).toEqual({ kind: 'choice', values: ['json'] });
    expect(offers('releases')).toEqual({ kind: 'choice', values: ['json', 'table'] });
  });

  it('reads flags from the usage modules only: no command code is imported', async () => {
    const source = await readFile(new URL('../../../src/cli/commands/completion.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((i) => !/^\.\.\/(usage\/[a-z-]+|args|completion-scripts|io)\.ts$|^\.\.\/\.\.\/(errors|report\/style)\.ts$/.test(i ?? ''))).toEqual([]);
  });

  it('prints the script for a shell, and refuses an unknown one with exit 64', async () => {
    const printed = await runCli(['completion', 'bash']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(completionScript('bash', spec));
    const wrong = await runCli(['completion', 'tcsh']);
    expect(wrong.code).toBe(64);
    expect(wrong.stderr).toContain('drover completion zsh');
  });
});

describe('the bash script in a real bash', () => {
  const complete = (...words: string[]) => {
    const script = `source /dev/stdin <<'DROVER'\n${completionScript('bash', spec)}DROVER\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _drover; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { cwd: project, encoding: 'utf8' }).split('\n').filter(Boolean);
  };

  it('completes commands, flags and flag values', () => {
    expect(complete('drover', 'de')).toEqual(['deploy', 'demo']);
    expect(complete('drover', 'deploy', 'alpha', '--wa')).toEqual(['--wait-lock', '--watch']);
    expect(complete('drover', 'deploy', 'alpha', '--output', '')).toEqual(['tty', 'plain', 'ndjson']);
    expect(complete('drover', 'status', '--output', '')).toEqual(['tty', 'plain', 'ndjson', 'json']);
    expect(complete('drover', 'secrets', '')).toEqual(['check', 'plan']);
    expect(complete('drover', 'help', 'sta')).toEqual(['status']);
  });

  it('completes environment names from environments/*.ts at completion time, after flags and subcommands', async () => {
    expect(complete('drover', 'deploy', '')).toEqual(['alpha', 'beta']);
    expect(complete('drover', 'deploy', '--job', 'api', 'b')).toEqual(['beta']);
    expect(complete('drover', 'secrets', 'check', '')).toEqual(['alpha', 'beta']);
    expect(complete('drover', 'deploy', 'alpha', '')).toEqual([]);
    await writeFile(join(project, 'environments', 'gamma.ts'), '');
    expect(complete('drover', 'plan', '')).toEqual(['alpha', 'beta', 'gamma']);
    await rm(join(project, 'environments', 'gamma.ts'));
  });

  it('follows --project and --environments to another directory', () => {
    const elsewhere = `cd / && `;
    const script = `${elsewhere}source /dev/stdin <<'DROVER'\n${completionScript('bash', spec)}DROVER\nCOMP_WORDS=(drover status --project '${project}' ''); COMP_CWORD=4; _drover; printf '%s\\n' "\${COMPREPLY[@]}"`;
    expect(execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean)).toEqual(['alpha', 'beta']);
    const viaEnvironments = `cd / && source /dev/stdin <<'DROVER'\n${completionScript('bash', spec)}DROVER\nCOMP_WORDS=(drover status --environments '${project}/environments' ''); COMP_CWORD=4; _drover; printf '%s\\n' "\${COMPREPLY[@]}"`;
    expect(execFileSync('bash', ['-c', viaEnvironments], { encoding: 'utf8' }).split('\n').filter(Boolean)).toEqual(['alpha', 'beta']);
  });
});

describe.skipIf(!has('zsh'))('the zsh script in a real zsh (skipped: zsh not installed)', () => {
  it('parses (zsh -n) and offers environments and flag values', () => {
    const file = join(project, '_drover');
    execFileSync('sh', ['-c', `cat > '${file}'`], { input: completionScript('zsh', spec) });
    expect(spawnSync('zsh', ['-n', file]).status).toBe(0);
    // compadd/compdef stand in for the completion system (compinit needs a terminal): they print what would be offered.
    const run = (words: string) =>
      execFileSync('zsh', ['-c', `compadd() { [[ $1 == -- ]] && shift; print -r -- "$*"; }; compdef() {}; source '${file}'; words=(${words} ''); CURRENT=\${#words}; _drover`], { cwd: project, encoding: 'utf8' }).trim();
    expect(run('drover deploy')).toBe('alpha beta');
    expect(run('drover deploy alpha --watch')).toBe('stream poll interval');
    expect(run('drover secrets')).toBe('check plan');
  });
});

describe.skipIf(!has('fish'))('the fish script in a real fish (skipped: fish not installed)', () => {
  it('parses (fish -n) and completes through fish\'s own engine (complete -C)', () => {
    const file = join(project, 'drover.fish');
    execFileSync('sh', ['-c', `cat > '${file}'`], { input: completionScript('fish', spec) });
    expect(spawnSync('fish', ['-n', file]).status).toBe(0);
    const run = (line: string) => execFileSync('fish', ['-c', `source '${file}'; complete -C '${line}' | cut -f1`], { cwd: project, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(run('drover deploy ')).toEqual(['alpha', 'beta']);
    expect(run('drover deploy alpha --wat')).toEqual(['--watch']);
    expect(run('drover secrets check ')).toEqual(['alpha', 'beta']);
    expect(run('drover de')).toEqual(['demo', 'deploy']);
  });
});
