import { access, cp, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '2222222222222222222222222222222222222222';

/** The diagnostics a run printed, as `file [rule]`, sorted: what the commands must agree on. */
const diagnosticsOf = (result: CliResult): string[] =>
  [...result.stderr.matchAll(/^[✖⚠!] (\S+)\s+\[([a-z-]+\/[a-z-]+)\]$/gmu)].map((m) => `${m[1]} [${m[2]}]`).sort();

const exists = (path: string) => access(path).then(() => true, () => false);

describe('render and validate agree on generated files', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    project = await tempProject();
  });
  afterEach(async () => project.cleanup());
  const run = (...argv: string[]) => runCli(argv, { cwd: project.dir });
  const at = (path: string) => join(project.dir, path);

  it('reports files left over by a removed job as the same errors in validate and render --check; render removes them and both pass', async () => {
    expect((await run('render', 'qa', '--git-sha', SHA)).code).toBe(0);
    // A saved plan next to the rendered files is not a rendered job: it must survive render.
    await writeFile(at('build/qa/saved-plan.json'), '{"schema":"drover.plan/v1","env":"qa"}\n');
    await unlink(at('jobs/worker.ts'));

    const validate = await run('validate', 'qa');
    const check = await run('render', 'qa', '--check');
    expect(validate.code, validate.stderr).toBe(65);
    expect(check.code, check.stderr).toBe(65);
    const expected = ['build/qa/worker.json [generated/orphan]', 'build/qa/worker.nomad.hcl [generated/orphan]', 'vault-policies/qa/roles/worker.json [vault/policy-orphan]', 'vault-policies/qa/worker.hcl [vault/policy-orphan]'];
    expect(diagnosticsOf(validate)).toEqual(expected);
    // render --check prints the diagnostics (once through the error); the set is the same.
    expect([...new Set(diagnosticsOf(check))]).toEqual(expected);
    // What to commit: the committed places of what is wrong (build/ is git-ignored).
    expect(check.stderr).toContain('Run `npm run render -- qa` (it also removes left-over files) and commit vault-policies/qa/.');

    const render = await run('render', 'qa', '--git-sha', SHA);
    expect(render.code, render.stderr).toBe(0);
    for (const path of ['build/qa/worker.json', 'build/qa/worker.nomad.hcl', 'vault-policies/qa/roles/worker.json', 'vault-policies/qa/worker.hcl']) {
      expect(render.stderr).toContain(`Removed ${path}: `);
      expect(await exists(at(path)), path).toBe(false);
    }
    expect(await exists(at('build/qa/saved-plan.json'))).toBe(true);
    expect(await exists(at('build/qa/api.json'))).toBe(true);

    for (const argv of [['validate', 'qa'], ['render', 'qa', '--check']]) {
      const after = await run(...argv);
      expect(after.code, `${argv.join(' ')}: ${after.stderr}`).toBe(0);
      expect(diagnosticsOf(after)).toEqual([]);
    }
  });

  it('keeps a hand-written left-over file, and all three commands report it the same way', async () => {
    await writeFile(at('vault-policies/qa/legacy.hcl'), 'path "secret/data/shop/legacy" {\n  capabilities = ["read"]\n}\n');
    const results = { validate: await run('validate', 'qa'), check: await run('render', 'qa', '--check'), render: await run('render', 'qa', '--git-sha', SHA) };
    for (const [name, result] of Object.entries(results)) {
      expect(result.code, `${name}: ${result.stderr}`).toBe(65);
      expect([...new Set(diagnosticsOf(result))], name).toEqual(['vault-policies/qa/legacy.hcl [vault/policy-orphan]']);
    }
    expect(await readFile(at('vault-policies/qa/legacy.hcl'), 'utf8')).toContain('secret/data/shop/legacy');
  });

  it('reports the committed files of an environment no longer defined; render removes the ones drover wrote and names the rest', async () => {
    // A staging environment that was removed: its Fabio config, policies, dashboards and cluster files stayed behind.
    const properties = (await readFile(at('fabio/fabio.qa.properties'), 'utf8')).replaceAll('qa', 'staging');
    await writeFile(at('fabio/fabio.staging.properties'), properties);
    await mkdir(at('vault-policies/staging/roles'), { recursive: true });
    await writeFile(at('vault-policies/staging/api.hcl'), (await readFile(at('vault-policies/qa/api.hcl'), 'utf8')).replaceAll('qa', 'staging'));
    await mkdir(at('grafana/staging/dashboards'), { recursive: true });
    await writeFile(at('grafana/staging/dashboards/drover-staging-jobs.json'), '{\n  "uid": "drover-staging-jobs"\n}\n');
    await writeFile(at('grafana/staging/dashboards/team-notes.json'), '{\n  "uid": "team-notes"\n}\n');
    const expected = ['fabio/fabio.staging.properties [generated/orphan]', 'grafana/staging/dashboards/drover-staging-jobs.json [generated/orphan]', 'grafana/staging/dashboards/team-notes.json [generated/orphan]', 'vault-policies/staging/api.hcl [generated/orphan]'];

    const validate = await run('validate');
    const check = await run('render', 'qa', '--check');
    expect(validate.code, validate.stderr).toBe(65);
    expect(check.code, check.stderr).toBe(65);
    // Once for the whole project, not once per environment validated.
    expect(diagnosticsOf(validate)).toEqual(expected);
    expect([...new Set(diagnosticsOf(check))]).toEqual(expected);
    expect(check.stderr).toContain('fabio/fabio.staging.properties is left over: no environment "staging" is defined any more (environments: dev, prod, qa)');
    expect(check.stderr).toContain('Run `drover render qa` (it removes the file), or delete it.');
    expect(check.stderr).toContain('Run `npm run render -- qa` (it also removes left-over files) and commit fabio/fabio.staging.properties, grafana/staging/, vault-policies/staging/.');

    const render = await run('render', 'qa', '--git-sha', SHA);
    expect(render.code, render.stderr).toBe(65);
    for (const path of ['fabio/fabio.staging.properties', 'vault-policies/staging/api.hcl', 'grafana/staging/dashboards/drover-staging-jobs.json']) {
      expect(render.stderr).toContain(`Removed ${path}: no environment "staging" is defined any more`);
      expect(await exists(at(path)), path).toBe(false);
    }
    expect(diagnosticsOf(render)).toEqual(['grafana/staging/dashboards/team-notes.json [generated/orphan]']);
    expect(render.stderr).toContain('Delete it: it carries no drover header, so render leaves it alone.');

    await rm(at('grafana/staging'), { recursive: true });
    const after = await run('render', 'qa', '--check');
    expect(after.code, after.stderr).toBe(0);
  });

  it('removes the folders that removing a removed environment\'s files left empty, and names them; a folder still holding a person\'s file stays', async () => {
    await cp(at('vault-policies/qa'), at('vault-policies/staging'), { recursive: true });
    await cp(at('cluster/qa'), at('cluster/staging'), { recursive: true });
    await mkdir(at('grafana/staging/dashboards'), { recursive: true });
    await writeFile(at('grafana/staging/dashboards/drover-staging-jobs.json'), '{\n  "uid": "drover-staging-jobs"\n}\n');
    await writeFile(at('grafana/staging/dashboards/team-notes.json'), '{\n  "uid": "team-notes"\n}\n');

    const render = await run('render', 'qa', '--git-sha', SHA);
    expect(render.code, render.stderr).toBe(65); // team-notes.json: not drover's, named to delete by hand
    expect(render.stderr).toContain('Removed vault-policies/staging/api.hcl: no environment "staging" is defined any more');
    for (const folder of ['vault-policies/staging/roles/', 'vault-policies/staging/', 'cluster/staging/server/systemd/', 'cluster/staging/server/', 'cluster/staging/']) {
      expect(render.stderr).toContain(`Removed ${folder}: empty once the files above were removed.`);
      expect(await exists(at(folder)), folder).toBe(false);
    }
    expect(render.stderr).not.toContain('Removed grafana/staging/dashboards/:');
    expect(await exists(at('grafana/staging/dashboards/team-notes.json'))).toBe(true);
    // Never above the environment's folder.
    for (const folder of ['vault-policies', 'cluster', 'grafana', 'vault-policies/qa/roles']) expect(await exists(at(folder)), folder).toBe(true);
  });

  it('render removes its rendered job files in build/<old>/ of an environment no longer defined; validate and render --check pass over them', async () => {
    expect((await run('render', 'qa', '--git-sha', SHA)).code).toBe(0);
    await cp(at('build/qa'), at('build/staging'), { recursive: true });
    await writeFile(at('build/staging/saved-plan.json'), '{"schema":"drover.plan/v1","env":"staging"}\n');
    await mkdir(at('build/gone'));
    await cp(at('build/qa/api.json'), at('build/gone/api.json'));
    await mkdir(at('build/scratch'));
    await writeFile(at('build/scratch/api.json'), '{"Job":{"ID":"other"}}\n'); // not named after its job: not a rendered job file

    for (const argv of [['validate'], ['render', 'qa', '--check'], ['render', 'prod', '--check']]) {
      const result = await run(...argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stderr, argv.join(' ')).not.toContain('build/');
    }

    const render = await run('render', 'qa', '--git-sha', SHA);
    expect(render.code, render.stderr).toBe(0);
    for (const path of ['build/staging/api.json', 'build/staging/api.nomad.hcl', 'build/gone/api.json']) {
      expect(render.stderr).toContain(`Removed ${path}: no environment "${path.split('/')[1]}" is defined any more`);
      expect(await exists(at(path)), path).toBe(false);
    }
    expect(render.stderr).toContain('Removed build/gone/: empty once the files above were removed.');
    expect(render.stderr).not.toContain('Removed build/staging/:');
    for (const path of ['build/staging/saved-plan.json', 'build/scratch/api.json', 'build/qa/api.json']) expect(await exists(at(path)), path).toBe(true);
    expect(await exists(at('build/gone'))).toBe(false);
  });

  it('render --check tells that the build folder is not committed when only rendered job files are left over', async () => {
    expect((await run('render', 'qa', '--git-sha', SHA)).code).toBe(0);
    await writeFile(at('build/qa/ghost.json'), '{"Job":{"ID":"ghost"}}\n');
    const check = await run('render', 'qa', '--check');
    expect(check.code, check.stderr).toBe(65);
    expect(diagnosticsOf(check)).toContain('build/qa/ghost.json [generated/orphan]');
    expect(check.stderr).toContain('Run `npm run render -- qa` (it also removes left-over files); the build folder is not committed.');
  });

  it('render --check names drover cluster render for the environment\'s own stale agent configs, beside render for the rest', async () => {
    const consulHcl = at('cluster/qa/server/consul.hcl');
    await writeFile(consulHcl, `${await readFile(consulHcl, 'utf8')}# edited by hand\n`);
    const clusterOnly = await run('render', 'qa', '--check');
    expect(clusterOnly.code, clusterOnly.stderr).toBe(65);
    // render does not write cluster/qa/: its hint must not send people there.
    expect(clusterOnly.stderr).toContain('Generated files are not right for qa\n  → Run `drover cluster render qa` and commit cluster/qa/.');
    expect(clusterOnly.stderr).not.toContain('npm run render');
    const policy = at('vault-policies/qa/api.hcl');
    await writeFile(policy, `${await readFile(policy, 'utf8')}path "secret/data/extra" { capabilities = ["read"] }\n`);
    const both = await run('render', 'qa', '--check');
    expect(both.stderr).toContain('and commit vault-policies/qa/. Run `drover cluster render qa` and commit cluster/qa/.');
  });

  it('fails validate, render --check and render alike on an empty jobs/, with a hint, writing nothing', async () => {
    await rm(at('jobs'), { recursive: true });
    await mkdir(at('jobs'));
    const fabio = await readFile(at('fabio/fabio.qa.properties'), 'utf8');
    await writeFile(at('fabio/fabio.qa.properties'), `${fabio}# marker: render must not rewrite this\n`);
    for (const argv of [['validate', 'qa'], ['render', 'qa', '--check'], ['render', 'qa', '--git-sha', SHA]]) {
      const result = await run(...argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(65);
      expect(diagnosticsOf(result).filter((d) => d.startsWith('jobs/')), argv.join(' ')).toEqual(['jobs/ [project/no-jobs]']);
      expect(result.stderr).toContain('Add jobs/<name>.ts with `export default defineJob(');
    }
    expect(await readFile(at('fabio/fabio.qa.properties'), 'utf8')).toContain('# marker: render must not rewrite this');
    expect(await exists(at('build/qa'))).toBe(false);
  });
});
