import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedSandboxVault } from '../../src/cli/seed-vault.ts';
import { buildJobs } from '../../src/project/load.ts';
import { loadProject } from '../../src/project/project.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { repoRoot, runCli } from '../support/run-cli.ts';
import { runAgainst } from '../support/sandbox.ts';

const SHA = '3333333333333333333333333333333333333333';

describe('drover init', { timeout: 60_000 }, () => {
  let parent: string;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'drover-init-'));
  });
  afterEach(async () => rm(parent, { recursive: true, force: true }));

  it('scaffolds a project that validates, whose generated files are current, that deploys qa to a sandbox and ships the verified release to prod', async () => {
    const init = await runCli(['init', 'my-shop'], { cwd: parent });
    expect(init.code, init.stderr).toBe(0);
    const dir = join(parent, 'my-shop');
    for (const path of ['package.json', 'tsconfig.json', 'environments/qa.ts', 'environments/prod.ts', 'jobs/web.ts', 'vault-policies/qa/web.hcl', 'vault-policies/qa/roles/web.json', 'vault-policies/prod/web.hcl', 'build/qa/web.json', '.gitignore', 'README.md', '.github/workflows/deploy.yml', '.gitlab-ci.yml']) {
      expect(init.stdout.split('\n'), path).toContain(path);
    }
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/✔ qa: 1 jobs, 0 errors/);
    expect(validate.stdout).toMatch(/✔ prod: 1 jobs, 0 errors/);
    for (const env of ['qa', 'prod']) {
      const check = await runCli(['render', env, '--check'], { cwd: dir });
      expect(check.code, check.stderr).toBe(0);
    }
    // What the example job promises: a Fabio route, Consul checks, a Vault secret, a canary.
    const job = JSON.parse(await readFile(join(dir, 'build/qa/web.json'), 'utf8')).Job;
    expect(job.Meta['drover.project']).toBe('my-shop');
    expect(job.TaskGroups[0].Services[0].Tags).toContain('urlprefix-/web strip=/web');
    expect(job.TaskGroups[0].Services[0].Checks.map((c: { Path: string }) => c.Path)).toEqual(['/health', '/health']);
    expect(job.TaskGroups[0].Tasks[0].Vault.Role).toBe('drover-web');
    expect(job.TaskGroups[0].Update.Canary).toBe(1);

    // The operator's part (README): secrets, policies and roles in Vault; then deploy as CI would.
    const sandbox = await startSandbox({ clockSpeed: 20, nomad: { datacenters: ['qa1'] } });
    try {
      const project = await loadProject({ root: dir });
      const qa = project.environments.find((m) => m.value.name === 'qa')!.value;
      const { deployerToken } = await seedSandboxVault(sandbox, qa, { jobs: buildJobs(project.jobs, qa).jobs, root: dir, valueFor: () => 'placeholder' });
      const deploy = await runAgainst(sandbox, ['deploy', 'qa', '--git-sha', SHA, '--release', 'r-init-1', '--soak', '1s'], { cwd: dir, env: { VAULT_TOKEN: deployerToken } });
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(deploy.events.find((e) => e.type === 'job-finished')).toMatchObject({ job: 'web', outcome: { status: 'succeeded' } });
      const releases = await runCli(['releases', 'qa', '--json'], { cwd: dir, env: { NO_COLOR: '1', CONSUL_HTTP_ADDR: sandbox.addresses.consul } });
      expect(releases.code, releases.stderr).toBe(0);
      expect(JSON.parse(releases.stdout)).toMatchObject({ source: 'qa', releases: [{ id: 'r-init-1', status: 'verified' }] });

      // The pipeline's last job: prod (its own cluster) takes exactly the release QA verified.
      const prodSandbox = await startSandbox({ clockSpeed: 20, nomad: { datacenters: ['prod1'] } });
      try {
        const prod = project.environments.find((m) => m.value.name === 'prod')!.value;
        const seeded = await seedSandboxVault(prodSandbox, prod, { jobs: buildJobs(project.jobs, prod).jobs, root: dir, valueFor: () => 'placeholder' });
        const env = { VAULT_TOKEN: seeded.deployerToken, DROVER_RELEASES_CONSUL_HTTP_ADDR: sandbox.addresses.consul };
        const shipped = await runAgainst(prodSandbox, ['deploy', 'prod', '--git-sha', SHA, '--release', 'r-init-1'], { cwd: dir, env });
        expect(shipped.code, shipped.stderr).toBe(0);
        expect(shipped.events.find((e) => e.type === 'job-finished')).toMatchObject({ job: 'web', outcome: { status: 'succeeded' } });
      } finally {
        await prodSandbox.close();
      }
    } finally {
      await sandbox.close();
    }
  });

  it('scaffolds TypeScript that type-checks, with env.pick exhaustive over qa and prod', async () => {
    expect((await runCli(['init', 'typed'], { cwd: parent })).code).toBe(0);
    const dir = join(parent, 'typed');
    // What `npm install` adds besides node_modules/drover (which init links): the dev dependencies.
    await symlink(join(repoRoot, 'node_modules/typescript'), join(dir, 'node_modules/typescript'), 'dir');
    await symlink(join(repoRoot, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
    const clean = await tsc(dir);
    expect(clean.code, clean.output).toBe(0);
    const job = join(dir, 'jobs/web.ts');
    await writeFile(job, (await readFile(job, 'utf8')).replace('env.pick({ qa: 1, prod: 2 })', 'env.pick({ qa: 1 })'));
    const missing = await tsc(dir);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/jobs\/web\.ts.*Property 'prod' is missing/);
  });

  it('names the package after the folder and depends on this drover by a relative file: path', async () => {
    expect((await runCli(['init', 'Billing API'], { cwd: parent })).code).toBe(0);
    const pkg = JSON.parse(await readFile(join(parent, 'Billing API/package.json'), 'utf8'));
    expect(pkg.name).toBe('billing-api');
    expect(pkg.dependencies.drover).toMatch(/^file:\.\.\//);
    expect(resolve(parent, 'Billing API', pkg.dependencies.drover.slice('file:'.length))).toBe(resolve(repoRoot));
  });

  it('copies the delivery pipelines of examples/ci byte for byte', async () => {
    expect((await runCli(['init', 'svc'], { cwd: parent })).code).toBe(0);
    expect(await readFile(join(parent, 'svc/.github/workflows/deploy.yml'), 'utf8')).toBe(await readFile(join(repoRoot, 'examples/ci/github/deploy.yml'), 'utf8'));
    expect(await readFile(join(parent, 'svc/.gitlab-ci.yml'), 'utf8')).toBe(await readFile(join(repoRoot, 'examples/ci/gitlab/.gitlab-ci.yml'), 'utf8'));
  });

  it('refuses a folder that is not empty with exit 64 and a hint, and writes into it with --force', async () => {
    const dir = join(parent, 'taken');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine\n');
    const refused = await runCli(['init', 'taken'], { cwd: parent });
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('not empty (notes.txt)');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    await expect(readFile(join(dir, 'package.json'), 'utf8')).rejects.toThrow();

    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).name).toBe('taken');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');

    const file = await runCli(['init', 'taken/notes.txt', '--force'], { cwd: parent });
    expect(file.code).toBe(64);
    expect(file.stderr).toContain('it is a file');
  });

  it('keeps no node_modules/drover link when package.json names another drover', async () => {
    expect((await runCli(['init', 'svc', '--drover', 'github:example/drover#v0.1.0'], { cwd: parent })).code).toBe(0);
    expect(JSON.parse(await readFile(join(parent, 'svc/package.json'), 'utf8')).dependencies.drover).toBe('github:example/drover#v0.1.0');
    await expect(readFile(join(parent, 'svc/node_modules/drover/package.json'), 'utf8')).rejects.toThrow();
    // The generated files were still rendered, by this drover.
    expect(await readFile(join(parent, 'svc/vault-policies/qa/web.hcl'), 'utf8')).toContain('generated by drover');
  });
});

/** The project's own `tsc --noEmit` (drover's TypeScript, linked in as npm would install it). */
function tsc(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', dir], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}
