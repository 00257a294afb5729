/**
 * examples/local-pipeline is a drover project of its own in a subfolder of this repository: it
 * validates with no problem (type check included, with the repository's TypeScript), its
 * committed generated files (fabio/, vault-policies/, grafana/) are what `render` makes of its
 * jobs, and `render --project` from the repository root writes the jobs into the example's own
 * build/, not the root project's. Runs on a copy at the same depth, so nothing lands in the checkout.
 */
import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempExampleProject } from '../support/temp-example-project.ts';

const SHA = '3333333333333333333333333333333333333333';
const PROJECT = 'examples/local-pipeline';
const exists = (path: string) => access(path).then(() => true, () => false);

describe('examples/local-pipeline as a project in a subfolder', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  /** The copy's repository root: `<tmp>`, holding examples/local-pipeline, src/ and node_modules/. */
  let top: string;

  beforeAll(async () => {
    project = await tempExampleProject('local-pipeline');
    top = dirname(dirname(project.dir));
  });
  afterAll(async () => project.cleanup());

  const run = (...argv: string[]) => runCli([...argv, '--project', PROJECT], { cwd: top });

  it('keeps its drover-deployer policy the same as the root project\'s (a copy, as drover init writes one)', async () => {
    const root = new URL('../../', import.meta.url);
    const policy = 'vault-policies/drover-deployer.hcl';
    expect(await readFile(new URL(`${PROJECT}/${policy}`, root), 'utf8')).toBe(await readFile(new URL(policy, root), 'utf8'));
  });

  it('validates with no error and no warning in qa and prod, type check included', async () => {
    const result = await run('validate');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('qa: 2 jobs, 0 errors, 0 warnings');
    expect(result.stdout).toContain('prod: 2 jobs, 0 errors, 0 warnings');
  });

  it.each(['qa', 'prod'])('has its committed generated files up to date for %s (render --check)', async (env) => {
    const result = await run('render', env, '--check');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Committed generated files are up to date.');
  });

  it("renders into the example's own build/, with the apps run from the checkout the client's meta names", async () => {
    const result = await run('render', 'prod', '--git-sha', SHA);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${PROJECT}/build/prod/api.json`);
    expect(await exists(join(top, 'build'))).toBe(false);
    const { Job: job } = JSON.parse(await readFile(join(project.dir, 'build/prod/api.json'), 'utf8'));
    expect(job).toMatchObject({ ID: 'api', Namespace: 'shop', Datacenters: ['prod1'] });
    const [group] = job.TaskGroups;
    expect(group.Count).toBe(2);
    expect(group.Constraints).toEqual([{ LTarget: '${meta.drover_checkout}', Operand: 'is_set' }]);
    expect(group.Tasks[0]).toMatchObject({ Driver: 'raw_exec', Config: { command: 'node', args: ['--import', 'tsx', '${meta.drover_checkout}/../apps/api/main.ts'], work_dir: '${meta.drover_checkout}/../..' } });
  });
});
