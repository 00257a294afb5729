import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../src/plan/document.ts';
import type { NomadJobListStub, NomadJobRead } from '../../src/wire/nomad-api.ts';
import { deployLive, setImageTag } from '../support/live-deploy.ts';
import { nomadGet, runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '6666666666666666666666666666666666666666';
const ALL_JOBS = ['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'postgres', 'worker', 'www'];

describe('drover deploy --plan FILE against the sandbox', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SeededSandbox;
  beforeEach(async () => {
    project = await tempProject({ environments: 'standalone' });
    sandbox = await sandboxFor('qa', { clockSpeed: 50 });
  });
  afterEach(async () => {
    await sandbox.close();
    await project.cleanup();
  });

  const run = (...argv: string[]) => runAgainst(sandbox, argv, { cwd: project.dir, env: { VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.deployerToken } });
  const jobsInNomad = async () => (await nomadGet<NomadJobListStub[]>(sandbox, '/v1/jobs')).map((j) => j.ID).sort();
  const registered = (result: Awaited<ReturnType<typeof run>>) => result.events.filter((e) => e.type === 'job-registered').map((e) => (e as { job: string }).job).sort();
  const editPlan = async (file: string, edit: (doc: Record<string, unknown>) => void) => {
    const doc = JSON.parse(await readFile(join(project.dir, file), 'utf8')) as Record<string, unknown>;
    edit(doc);
    await writeFile(join(project.dir, file), JSON.stringify(doc));
  };

  it('deploys exactly the planned jobs from the planned commit', async () => {
    const planned = await run('plan', 'qa', '--git-sha', SHA, '--out', 'qa.plan.json');
    expect(planned.code, planned.stderr).toBe(1);
    const doc = JSON.parse(await readFile(join(project.dir, 'qa.plan.json'), 'utf8')) as PlanDocument;
    expect(doc).toMatchObject({ schema: 'drover.plan/v1', env: 'qa', project: 'drover', gitSha: SHA, flags: { adopt: false } });
    for (const job of doc.jobs) expect(job.specHash, job.id).toMatch(/^[0-9a-f]{16}$/);

    // No --git-sha: the commit comes from the plan, not from the (absent) git HEAD.
    const deployed = await run('deploy', 'qa', '--plan', 'qa.plan.json');
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(registered(deployed)).toEqual(ALL_JOBS);
    expect(await jobsInNomad()).toEqual(ALL_JOBS);
    for (const job of doc.jobs) {
      const running = await nomadGet<NomadJobRead>(sandbox, `/v1/job/${job.id}`);
      expect(running.Meta?.['drover.git_sha'], job.id).toBe(SHA);
      expect(running.Meta?.['drover.spec_hash'], job.id).toBe(job.specHash);
    }
  });

  it('replays --job: a plan of one job deploys that job only', async () => {
    expect((await run('plan', 'qa', '--git-sha', SHA, '--job', 'worker', '--out', 'worker.plan.json')).code).toBe(1);
    const deployed = await run('deploy', 'qa', '--plan', 'worker.plan.json');
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(registered(deployed)).toEqual(['worker']);
    expect(await jobsInNomad()).toEqual(['worker']);
  });

  it('refuses with 4 and registers nothing when a planned job moved in Nomad since the plan', async () => {
    expect((await run('plan', 'qa', '--git-sha', SHA, '--out', 'qa.plan.json')).code).toBe(1);
    // Someone registers worker between plan and deploy.
    const between = await run('deploy', 'qa', '--git-sha', SHA, '--job', 'worker');
    expect(between.code, between.stderr).toBe(0);
    const workerBefore = await nomadGet<NomadJobRead>(sandbox, '/v1/job/worker');

    const refused = await run('deploy', 'qa', '--plan', 'qa.plan.json');
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('Job "worker" changed in qa since the plan in qa.plan.json was made; nothing was registered');
    expect(refused.stderr).toMatch(new RegExp(`worker: job modify index 0 planned, now ${workerBefore.JobModifyIndex} \\(version 0, release 666666666666\\)`));
    expect(refused.stderr).toContain('Run `drover plan qa --out qa.plan.json`, review it, then `drover deploy qa --plan qa.plan.json`.');
    expect(registered(refused)).toEqual([]);
    expect(await jobsInNomad()).toEqual(['worker']);
    expect((await nomadGet<NomadJobRead>(sandbox, '/v1/job/worker')).JobModifyIndex).toBe(workerBefore.JobModifyIndex);

    // A fresh plan of the moved cluster deploys.
    expect((await run('plan', 'qa', '--git-sha', SHA, '--out', 'qa.plan.json')).code).toBe(1);
    const retried = await run('deploy', 'qa', '--plan', 'qa.plan.json');
    expect(retried.code, retried.stderr).toBe(0);
    expect(registered(retried)).toEqual(ALL_JOBS.filter((id) => id !== 'worker'));
  });

  it('registers with the planned index as check-index: a change after the check is refused by Nomad (4)', async () => {
    expect((await run('deploy', 'qa', '--git-sha', SHA, '--job', 'www')).code).toBe(0);
    await setImageTag(project.dir, 'www', '3.3.0');
    expect((await run('plan', 'qa', '--git-sha', SHA, '--out', 'qa.plan.json')).code).toBe(1);
    // Someone's `nomad job run` lands after drover read www under the lock, before www's turn
    // (www waits for api, which waits for postgres): only Nomad's check-index can catch it.
    let hotfix: Promise<Response> | undefined;
    const result = await deployLive(sandbox, ['qa', '--plan', 'qa.plan.json'], {
      cwd: project.dir,
      vaultToken: sandbox.deployerToken,
      onEvent: (event) => {
        if (event.type !== 'job-planned' || event.job !== 'www') return;
        hotfix = nomadGet<NomadJobRead>(sandbox, '/v1/job/www').then((job) => fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify({ Job: { ...job, Meta: { ...job.Meta, hotfix: 'yes' } } }) }));
      },
    });
    expect((await hotfix)?.ok, 'www was planned and the hotfix registered').toBe(true);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('Job "www" changed in qa since drover planned it');
    expect(result.stderr).toContain('Run `drover plan qa --out qa.plan.json`, review it, then `drover deploy qa --plan qa.plan.json`.');
    expect(registered(result)).not.toContain('www');
    expect((await nomadGet<NomadJobRead>(sandbox, '/v1/job/www')).Meta?.hotfix).toBe('yes');
  });

  it('refuses with 4 and registers nothing when a job file was edited after the plan', async () => {
    expect((await run('plan', 'qa', '--git-sha', SHA, '--out', 'qa.plan.json')).code).toBe(1);
    await setImageTag(project.dir, 'api', '1.9.0');
    const refused = await run('deploy', 'qa', '--plan', 'qa.plan.json');
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('The jobs changed since the plan in qa.plan.json was made; nothing was deployed to qa');
    expect(refused.stderr).toMatch(/api \(spec hash [0-9a-f]{16} planned, [0-9a-f]{16} now\)/);
    expect(refused.stderr).not.toMatch(/\bworker \(spec hash/);
    expect(refused.stderr).toContain('`drover plan qa --out qa.plan.json`');
    expect(registered(refused)).toEqual([]);
    expect(await jobsInNomad()).toEqual([]);
  });

  it('refuses a plan of another environment or project (4), and a file of an unknown or older format (64), before touching the cluster', async () => {
    expect((await run('plan', 'qa', '--git-sha', SHA, '--job', 'worker', '--out', 'p.json')).code).toBe(1);
    const original = await readFile(join(project.dir, 'p.json'), 'utf8');
    const attempt = async (edit: (doc: Record<string, unknown>) => void) => {
      await writeFile(join(project.dir, 'p.json'), original);
      await editPlan('p.json', edit);
      return run('deploy', 'qa', '--plan', 'p.json');
    };

    const prod = await attempt((doc) => (doc.env = 'prod'));
    expect(prod.code, prod.stderr).toBe(4);
    expect(prod.stderr).toContain('p.json is a plan for prod, not qa');
    expect(prod.stderr).toContain('`drover deploy prod --plan p.json`');

    const other = await attempt((doc) => (doc.project = 'someone-else'));
    expect(other.code, other.stderr).toBe(4);
    expect(other.stderr).toContain('p.json is a plan of project "someone-else", not of this project ("drover")');

    const newer = await attempt((doc) => (doc.schema = 'drover.plan/v2'));
    expect(newer.code, newer.stderr).toBe(64);
    expect(newer.stderr).toContain('p.json is a drover.plan/v2 plan; this drover reads drover.plan/v1');
    expect(newer.stderr).toContain('Run `drover plan qa --out p.json` with this drover');

    const older = await attempt((doc) => delete doc.schema);
    expect(older.code, older.stderr).toBe(64);
    expect(older.stderr).toContain('p.json is a plan from an older drover without a format version');

    await writeFile(join(project.dir, 'p.json'), 'not json');
    const garbage = await run('deploy', 'qa', '--plan', 'p.json');
    expect(garbage.code).toBe(64);
    expect(garbage.stderr).toContain('p.json is not a drover plan file: it is not JSON');

    const missing = await run('deploy', 'qa', '--plan', 'nope.json');
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('Cannot read the plan file nope.json: it does not exist');

    await writeFile(join(project.dir, 'p.json'), original);
    const withJob = await run('deploy', 'qa', '--plan', 'p.json', '--job', 'api');
    expect(withJob.code).toBe(64);
    expect(withJob.stderr).toContain('--plan decides --job');
    expect(await jobsInNomad()).toEqual([]);
  });
});
