import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliProcess } from '../support/run-cli.ts';
import { readTree, tempProject } from '../support/temp-project.ts';

const JOBS = ['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'postgres', 'worker', 'www'];
const SHA = '1111111111111111111111111111111111111111';

describe('drover render', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => project.cleanup());

  it.each(['qa', 'prod'])('writes JSON and HCL for every example job in %s', async (env) => {
    const result = await runCli(['render', env, '--out', 'out', '--git-sha', SHA], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const tree = await readTree(join(project.dir, 'out', env));
    expect([...tree.keys()].sort()).toEqual(JOBS.flatMap((id) => [`${id}.json`, `${id}.nomad.hcl`]).sort());
    for (const id of JOBS) {
      const body = JSON.parse(tree.get(`${id}.json`)!) as { Job: { ID: string; Meta: Record<string, string> } };
      expect(body.Job.ID).toBe(id);
      expect(body.Job.Meta['drover.env']).toBe(env);
      expect(body.Job.Meta['drover.git_sha']).toBe(SHA);
      expect(tree.get(`${id}.nomad.hcl`)).toContain(`job "${id}" {`);
    }
    expect(await readFile(join(project.dir, `fabio/fabio.${env}.properties`), 'utf8')).toContain('metrics.prefix = fabio');
  });

  it('writes dev\'s jobs only, each task run by raw_exec from the agent\'s checkout, the same on every machine', async () => {
    const result = await runCli(['render', 'dev', '--out', 'out', '--git-sha', SHA], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const tree = await readTree(join(project.dir, 'out', 'dev'));
    expect([...tree.keys()].sort()).toEqual(['api', 'fabio', 'worker', 'www'].flatMap((id) => [`${id}.json`, `${id}.nomad.hcl`]));
    const api = JSON.parse(tree.get('api.json')!) as { Job: { TaskGroups: { Tasks: { Driver: string; Config: Record<string, unknown> }[] }[] } };
    expect(api.Job.TaskGroups[0]!.Tasks.map((t) => [t.Driver, t.Config])).toEqual([
      ['raw_exec', { command: 'node', args: ['--import', 'tsx', '${meta.drover_checkout}/examples/apps/api/main.ts'], work_dir: '${meta.drover_checkout}' }],
    ]);
    expect(tree.get('api.json')).not.toContain(project.dir);
    expect(await readFile(join(project.dir, 'fabio/fabio.dev.properties'), 'utf8')).toContain('ui.title = dev');
  });

  it('renders byte-identical files twice', async () => {
    await runCli(['render', 'prod', '--out', 'a', '--git-sha', SHA], { cwd: project.dir });
    await runCli(['render', 'prod', '--out', 'b', '--git-sha', SHA], { cwd: project.dir });
    const a = await readTree(join(project.dir, 'a'));
    const b = await readTree(join(project.dir, 'b'));
    expect(a.size).toBe(JOBS.length * 2);
    expect(b).toEqual(a);
  });

  it('renders a single job with --job', async () => {
    const result = await runCli(['render', 'qa', '--job', 'api', '--out', 'single', '--git-sha', SHA], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect([...(await readTree(join(project.dir, 'single', 'qa'))).keys()].sort()).toEqual(['api.json', 'api.nomad.hcl']);
  });

  it('passes --check when the committed generated files are current, and fails when one is stale', async () => {
    expect((await runCli(['render', 'qa', '--check'], { cwd: project.dir })).code).toBe(0);
    await writeFile(join(project.dir, 'fabio/fabio.qa.properties'), 'proxy.addr = :1\n');
    const stale = await runCli(['render', 'qa', '--check'], { cwd: project.dir });
    expect(stale.code).toBe(65);
    expect(stale.stderr).toContain('fabio/fabio.qa.properties');
    expect(await readFile(join(project.dir, 'fabio/fabio.qa.properties'), 'utf8')).toBe('proxy.addr = :1\n');
  });

  it('fails --check and validate when a Vault policy grants more than the job references', async () => {
    const policy = join(project.dir, 'vault-policies/qa/api.hcl');
    const original = await readFile(policy, 'utf8');
    await writeFile(policy, original.replace('path "secret/data/shop/api/database"', 'path "secret/data/shop/*"'));
    try {
      for (const argv of [['render', 'qa', '--check'], ['validate', 'qa']]) {
        const result = await runCli(argv, { cwd: project.dir });
        expect(result.code).toBe(65);
        expect(result.stderr).toContain('[vault/policy-minimal]');
      }
    } finally {
      await writeFile(policy, original);
    }
  });

  it('runs as a real process through bin/drover.mjs', async () => {
    const out = await mkdtemp(join(tmpdir(), 'drover-out-'));
    try {
      const result = await runCliProcess(['render', 'qa', '--out', out, '--git-sha', SHA], { cwd: project.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('Rendered 8 jobs for qa');
      expect((await readTree(out)).size).toBe(JOBS.length * 2);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('drover usage errors', () => {
  it.each([
    [['render', 'staging'], 'Unknown environment "staging"'],
    [['render'], 'No environment given'],
    [['render', 'qa', '--bogus'], 'drover render has no flag --bogus.'],
    [['render', 'qa', '--chek'], 'drover render has no flag --chek. Did you mean `--check`?'],
    [['render', 'qa', '--out'], '--out needs a value (drover render --out <value>)'],
    [['rendr', 'qa'], 'Unknown command "rendr". Did you mean `drover render`?'],
    [['render', 'qa', '--job', 'nope'], 'Unknown job "nope"'],
    [['deploy-everything'], 'Unknown command "deploy-everything"'],
  ])('%j exits 64 and says %s', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/→ /);
  });
});

describe('drover validate and jobs', () => {
  it('validates every environment of the example project', async () => {
    const result = await runCli(['validate']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/qa: 8 jobs, 0 errors/);
    expect(result.stdout).toMatch(/prod: 8 jobs, 0 errors/);
    expect(result.stdout).toMatch(/dev: 4 jobs \(not deployed here: db-backup, log-shipper, node-exporter, postgres\), 0 errors/);
  });

  it('lists the jobs excluded from dev after the deploy waves, each with its reason', async () => {
    const result = await runCli(['jobs', 'dev']);
    expect(result.code, result.stderr).toBe(0);
    const row = (id: string) => result.stdout.split('\n').find((l) => l.split(/\s+/)[1] === id)?.split(/\s+/);
    expect(row('postgres')?.slice(0, 3)).toEqual(['-', 'postgres', 'excluded']);
    expect(row('api')?.[0]).toBe('1');
    expect(row('www')?.[0]).toBe('2');
    expect(result.stdout).toContain('postgres is not deployed to dev: needs docker');
  });

  it('lists jobs in deploy order: postgres, then api and worker, then www', async () => {
    const result = await runCli(['jobs', 'qa']);
    expect(result.code).toBe(0);
    const wave = (id: string) => Number(result.stdout.split('\n').find((l) => l.split(/\s+/)[1] === id)?.split(/\s+/)[0]);
    expect(wave('postgres')).toBeLessThan(wave('api'));
    expect(wave('api')).toBe(wave('worker'));
    expect(wave('api')).toBeLessThan(wave('www'));
  });
});

describe('drover --help and --version answer from the help texts alone', () => {
  it.each([['--help'], ['-h'], ['help', 'plan'], ['plan', '--help'], ['deploy', 'qa', '--job', 'x', '-h']])('%j prints help and exits 0', async (...argv) => {
    const result = await runCli(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^drover /);
    expect(result.stderr).toBe('');
  });

  it('-v, --version and version print the package version', async () => {
    for (const flag of ['-v', '--version', 'version']) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^drover \d+\.\d+\.\d+\n$/);
    }
  });

  it('parser errors never show Node.js wording', async () => {
    const result = await runCli(['plan', 'qa', '-Z']);
    expect(result.code).toBe(64);
    expect(result.stderr).not.toMatch(/positional argument|ERR_PARSE_ARGS/);
  });
});
