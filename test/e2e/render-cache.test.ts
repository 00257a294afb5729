import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '2222222222222222222222222222222222222222';

// The render cache is used by the compiled CLI only (it names drover's build), so these run
// bin/drover.mjs as a process.
describe('drover render reuses its last render only while the generated files are untouched', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const render = () => runCliProcess(['render', 'qa', '--no-typecheck', '--out', 'out', '--git-sha', SHA], { cwd: project.dir });
  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => project.cleanup());

  it('prints the same files, and puts back a hand-edited, a deleted and a committed file', async () => {
    const first = await render();
    expect(first.code, first.stderr).toBe(0);
    const json = join(project.dir, 'out/qa/api.json');
    const hcl = join(project.dir, 'out/qa/worker.nomad.hcl');
    const fabio = join(project.dir, 'fabio/fabio.qa.properties');
    const rendered = await Promise.all([json, hcl, fabio].map((path) => readFile(path, 'utf8')));

    const second = await render();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stdout).toContain('out/qa/api.json\n');

    await writeFile(json, rendered[0]!.replace('"api"', '"apx"'));
    await rm(hcl);
    await writeFile(fabio, `${rendered[2]}# edited by hand\n`);
    const third = await render();
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(await Promise.all([json, hcl, fabio].map((path) => readFile(path, 'utf8')))).toEqual(rendered);
  });

  it('prints the paths as --out spells them, from wherever it runs', async () => {
    const here = await render();
    expect(here.code, here.stderr).toBe(0);
    const below = await runCliProcess(['render', 'qa', '--no-typecheck', '--project', '..', '--out', '../out', '--git-sha', SHA], { cwd: join(project.dir, 'jobs') });
    expect(below.code, below.stderr).toBe(0);
    expect(below.stdout).toContain('../out/qa/api.json\n');
    expect(below.stdout).toBe(here.stdout.replaceAll(/^out\//gm, '../out/'));
  });

  it('renders again when a job changes, and puts back another job\'s hand-edited file meanwhile', async () => {
    const first = await render();
    expect(first.code).toBe(0);
    const worker = join(project.dir, 'out/qa/worker.json');
    const workerRendered = await readFile(worker, 'utf8');
    await writeFile(worker, workerRendered.replace('"worker"', '"workex"'));
    const jobFile = join(project.dir, 'jobs/api.ts');
    const source = await readFile(jobFile, 'utf8');
    const edited = source.replace(/description: '([^']*)'/, "description: 'Edited: $1'");
    expect(edited).not.toBe(source);
    await writeFile(jobFile, edited);
    const before = (await stat(join(project.dir, 'out/qa/api.json'))).mtimeMs;
    const result = await render();
    expect(result.code, result.stderr).toBe(0);
    expect((await stat(join(project.dir, 'out/qa/api.json'))).mtimeMs).toBeGreaterThan(before);
    expect(await readFile(join(project.dir, 'out/qa/api.json'), 'utf8')).toContain('Edited: ');
    expect(await readFile(worker, 'utf8')).toBe(workerRendered);
    expect(result.stdout).toBe(first.stdout);
  });

  it('renders every job again for a new commit, and keeps the files made from every job unless one was edited', async () => {
    const first = await render();
    expect(first.code, first.stderr).toBe(0);
    const policy = join(project.dir, 'vault-policies/qa/api.hcl');
    const dashboard = join(project.dir, 'grafana/qa/dashboards/drover-qa-jobs.json');
    const [policyRendered, dashboardRendered] = await Promise.all([readFile(policy, 'utf8'), readFile(dashboard, 'utf8')]);
    await writeFile(dashboard, dashboardRendered.replace('"title": "drover qa', '"title": "edited qa'));
    expect(await readFile(dashboard, 'utf8')).not.toBe(dashboardRendered);
    const other = '3'.repeat(40);
    const next = await runCliProcess(['render', 'qa', '--no-typecheck', '--out', 'out', '--git-sha', other], { cwd: project.dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe(first.stdout);
    expect(await readFile(join(project.dir, 'out/qa/api.json'), 'utf8')).toContain(other);
    expect(await readFile(dashboard, 'utf8')).toBe(dashboardRendered);
    expect(await readFile(policy, 'utf8')).toBe(policyRendered);
  });
});
