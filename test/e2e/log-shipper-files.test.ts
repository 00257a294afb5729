/**
 * The log shipper's generated Vector config, through the CLI on a copy of the project: render
 * --check catches a stale one, validate and render --check report one no job renders any more, and
 * an environment that loses its sink fails the shipper (logs/sink) rather than shipping nowhere.
 */
import { access, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '3333333333333333333333333333333333333333';
const CONFIG = 'jobs/log-shipper/vector.qa.toml';
const diagnosticsOf = (result: CliResult): string[] =>
  [...new Set([...result.stderr.matchAll(/^[✖⚠!] (\S+)\s+\[([a-z-]+\/[a-z-]+)\]$/gmu)].map((m) => `${m[1]} [${m[2]}]`))].sort();
const exists = (path: string) => access(path).then(() => true, () => false);

describe('the log shipper\'s generated config', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    project = await tempProject();
  });
  afterEach(async () => project.cleanup());
  const run = (...argv: string[]) => runCli(argv, { cwd: project.dir });
  const at = (path: string) => join(project.dir, path);
  const editQa = async (from: RegExp, to: string) => {
    const text = await readFile(at('environments/qa.ts'), 'utf8');
    expect(text).toMatch(from);
    await writeFile(at('environments/qa.ts'), text.replace(from, to));
  };

  it('is stale for render --check when the sink changes, and render rewrites it', async () => {
    await editQa(/loki\.qa\.example\.internal:3100/, 'loki.qa2.example.internal:3100');
    const check = await run('render', 'qa', '--check');
    expect(check.code, check.stderr).toBe(65);
    expect(check.stderr).toMatch(/Generated files are stale: .*jobs\/log-shipper\/vector\.qa\.toml/);
    expect((await run('render', 'qa', '--git-sha', SHA)).code).toBe(0);
    expect(await readFile(at(CONFIG), 'utf8')).toContain('endpoint = "https://loki.qa2.example.internal:3100"');
    expect((await run('render', 'qa', '--check')).code).toBe(0);
  });

  it('is left over when the job goes: validate and render --check say so, render removes it', async () => {
    await unlink(at('jobs/log-shipper.ts'));
    const expected = [`${CONFIG} [generated/orphan]`, 'vault-policies/qa/log-shipper.hcl [vault/policy-orphan]', 'vault-policies/qa/roles/log-shipper.json [vault/policy-orphan]'];
    for (const argv of [['validate', 'qa'], ['render', 'qa', '--check']]) {
      const result = await run(...argv);
      expect(result.code, result.stderr).toBe(65);
      expect(diagnosticsOf(result)).toEqual(expected);
    }
    const render = await run('render', 'qa', '--git-sha', SHA);
    expect(render.code, render.stderr).toBe(0);
    expect(render.stderr).toContain(`Removed ${CONFIG}: `);
    expect(await exists(at(CONFIG))).toBe(false);
    expect(await exists(at('jobs/log-shipper/vector.prod.toml'))).toBe(true);
  });

  it('fails the shipper in an environment without a sink, and calls its old config left over', async () => {
    await editQa(/^ {2}logs: \{ sink: [^\n]*\n/m, '');
    const result = await run('validate', 'qa');
    expect(result.code, result.stderr).toBe(65);
    expect(diagnosticsOf(result)).toEqual([`${CONFIG} [generated/orphan]`]);
    expect(result.stderr).toMatch(/^✖ jobs\/log-shipper\.ts › meta\["drover\.log-shipper"\]\s+\[logs\/sink\]$/m);
    expect(result.stderr).toContain('Job log-shipper ships logs, but environment qa has no logs.sink to ship them to');
  });
});
